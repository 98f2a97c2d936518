using Google.Protobuf;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Sending;
using SignalSharp.Account.Api;
using SignalSharp.Store.Protocol;
using Microsoft.Extensions.Logging;

namespace SignalSharp.Account;

/// <summary>The 1:1 send of a finished DataMessage, shared by every kind of message (text, attachments, reaction).</summary>
public sealed partial class LinkedAccount
{
    /// <summary>
    /// Sends <paramref name="data"/> (its <see cref="DataMessage.Timestamp"/> set by the caller) to every device of
    /// <paramref name="recipient"/>, sealed when its access key is known, then a Sent transcript to the account's
    /// other devices. <paramref name="address"/> is how the caller named the recipient (a number goes into the transcript).
    /// </summary>
    internal async Task SendDataMessageAsync(Guid recipient, RecipientAddress address, DataMessage data, CancellationToken cancellationToken)
    {
        var timestamp = data.Timestamp;
        if (Record.ProfileKey is { } profileKey)
        {
            data.ProfileKey = ByteString.CopyFrom(profileKey);
        }

        var content = new Content { DataMessage = data }.ToByteArray();
        await protocolGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sender = new MessageSender(api, db.ProtocolStores(AccountIdentity.Aci), Record.Aci, Record.DeviceId, logger) { SenderKeyShares = db.SenderKeyShares };
            try
            {
                var sealedDelivery = await SealedDeliveryForAsync(recipient, cancellationToken).ConfigureAwait(false);
                try
                {
                    await sender.SendAsync(recipient, content, timestamp, cancellationToken, sealedDelivery).ConfigureAwait(false);
                    if (sealedDelivery is not null)
                    {
                        Interlocked.Increment(ref sealedSends);
                    }
                }
                catch (Service.ServiceAuthenticationException) when (sealedDelivery is not null)
                {
                    // The profile key we hold is stale (401 on the access key): the server may still take it authenticated.
                    logger.LogInformation("Sealed send refused (access key); sending authenticated");
                    await sender.SendAsync(recipient, content, timestamp, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Service.Api.UnregisteredRecipientException)
            {
                throw new UnknownRecipientException(address);
            }
            catch (Service.ServiceException e) when (SendFailures.TryExplain(e, address.ToString(), out var explained))
            {
                throw explained;
            }

            // The account's other devices (the phone) learn what this one sent: a Sent transcript to our own ACI.
            var transcript = new SyncMessage
            {
                Sent = new SyncMessage.Types.Sent
                {
                    DestinationServiceId = recipient.ToString(),
                    DestinationServiceIdBinary = ByteString.CopyFrom(recipient.ToByteArray(bigEndian: true)),
                    Timestamp = timestamp,
                    Message = data,
                },
            };
            if (address.Kind == RecipientKind.PhoneNumber)
            {
                transcript.Sent.DestinationE164 = address.Value;
            }

            await sender.SendAsync(Record.Aci, new Content { SyncMessage = transcript }.ToByteArray(), timestamp, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            protocolGate.Release();
        }
    }
}
