using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Storage;
using SignalSharp.Service;
using SignalSharp.Service.Api;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Sending;

/// <summary>
/// The 1:1 send of a finished DataMessage, shared by every kind of message (text, attachments, reaction): to every
/// device of the recipient, sealed when its access key is known, then a Sent transcript to the account's other
/// devices. Session work runs under the account's protocol gate, taken step by step so that sends overlap their
/// round trips to the server.
/// </summary>
internal sealed class DirectSender(ChatApi api, AccountDatabase db, AccountRecord record, SemaphoreSlim protocolGate, SealedAccess sealedAccess, ILogger logger)
{
    private int sealedSends;

    /// <summary>Messages to contacts (not receipts or typing indicators) that went out sealed (the rest went authenticated).</summary>
    public int SealedSends => Volatile.Read(ref sealedSends);

    /// <summary>
    /// Sends <paramref name="data"/> (its <see cref="DataMessage.Timestamp"/> set by the caller) to
    /// <paramref name="recipient"/>. <paramref name="address"/> is how the caller named the recipient (a number goes
    /// into the transcript). With <paramref name="editTarget"/>, the message replaces the account's earlier one sent
    /// at that timestamp (an EditMessage, and an edit in the transcript).
    /// </summary>
    public async Task SendAsync(Guid recipient, RecipientAddress address, DataMessage data, CancellationToken cancellationToken, long? editTarget = null)
    {
        var timestamp = data.Timestamp;
        if (record.ProfileKey is { } profileKey)
        {
            data.ProfileKey = ByteString.CopyFrom(profileKey);
        }

        var edit = editTarget is { } target ? new EditMessage { TargetSentTimestamp = (ulong)target, DataMessage = data } : null;
        var content = edit is null ? new Content { DataMessage = data } : new Content { EditMessage = edit };
        await SendContentAsync(recipient, address, content, timestamp, DeliveryKind.Urgent, Transcript(recipient, address, data, edit), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a Content that is not a data message (a receipt, a typing indicator) to <paramref name="recipient"/>'s
    /// devices only: no transcript, and not kept for resends (a lost one is not worth a repair).
    /// </summary>
    public Task SendControlAsync(Guid recipient, RecipientAddress address, Content content, ulong timestamp, DeliveryKind kind, CancellationToken cancellationToken) =>
        SendContentAsync(recipient, address, content, timestamp, kind, null, cancellationToken);

    private async Task SendContentAsync(Guid recipient, RecipientAddress address, Content message, ulong timestamp, DeliveryKind kind, SyncMessage? transcript,
        CancellationToken cancellationToken)
    {
        var content = message.ToByteArray();
        if (transcript is not null)
        {
            // Kept a while, so that a device of the recipient that cannot decrypt it can ask for it again. Logged before
            // it goes out: the gate is let go while the request is on the wire, and a resend request can come back
            // before the server's answer does.
            await db.SendLog.AddAsync(recipient, timestamp, content, ResendResponder.SendLogAge, cancellationToken).ConfigureAwait(false);
        }

        // The gate is taken by the sender for each step on sessions and let go while a request is on the wire: sends
        // overlap their round trips (pipelined on the socket) instead of queueing them one after another.
        var sender = NewMessageSender(pipelined: true);
        try
        {
            await SendSealedIfPossibleAsync(sender, recipient, content, timestamp, kind, cancellationToken).ConfigureAwait(false);
        }
        catch (UnregisteredRecipientException)
        {
            throw new UnknownRecipientException(address);
        }
        catch (Protocol.UntrustedIdentityException)
        {
            // A changed safety number the user has not confirmed: nothing goes out, and the error says to whom.
            throw new UntrustedIdentityKeyException(address.ToString());
        }
        catch (ServiceException e) when (SendFailures.TryExplain(e, address.ToString(), out var explained))
        {
            throw explained;
        }

        if (transcript is not null)
        {
            await sender.SendAsync(record.Aci, new Content { SyncMessage = transcript }.ToByteArray(), timestamp, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a finished Content to every device of <paramref name="recipient"/> (sealed when possible); the caller holds the protocol gate.</summary>
    public Task DeliverAsync(Guid recipient, byte[] content, ulong timestamp, CancellationToken cancellationToken) =>
        SendSealedIfPossibleAsync(NewMessageSender(), recipient, content, timestamp, DeliveryKind.Urgent, cancellationToken);

    /// <param name="pipelined">The caller does not hold the protocol gate: the sender takes it step by step (<see cref="MessageSender.Gate"/>).</param>
    private MessageSender NewMessageSender(bool pipelined = false) =>
        new(api, db.ProtocolStores(AccountIdentity.Aci), record.Aci, record.DeviceId, logger)
        {
            SenderKeyShares = db.SenderKeyShares,
            Gate = pipelined ? protocolGate : null,
        };

    private async Task SendSealedIfPossibleAsync(MessageSender sender, Guid recipient, byte[] content, ulong timestamp, DeliveryKind kind, CancellationToken cancellationToken)
    {
        SealedDelivery? sealedDelivery;
        if (sender.Gate is { } gate)
        {
            // The certificate and the unauthenticated socket are shared by every sealed send, made under the gate.
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                sealedDelivery = await sealedAccess.DeliveryForAsync(recipient, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
        else
        {
            sealedDelivery = await sealedAccess.DeliveryForAsync(recipient, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await sender.SendAsync(recipient, content, timestamp, cancellationToken, sealedDelivery, kind).ConfigureAwait(false);
            if (sealedDelivery is not null && kind == DeliveryKind.Urgent)
            {
                Interlocked.Increment(ref sealedSends);
            }
        }
        catch (ServiceAuthenticationException) when (sealedDelivery is not null)
        {
            // The profile key we hold is stale (401 on the access key): the server may still take it authenticated.
            // Or our certificate is no longer accepted: the next sealed send fetches a fresh one.
            AccountLog.SealedSendRefused(logger);
            sealedAccess.ForgetCertificate();
            await sender.SendAsync(recipient, content, timestamp, cancellationToken, kind: kind).ConfigureAwait(false);
        }
    }

    /// <summary>What the account's other devices (the phone) learn of this send: a Sent transcript to our own ACI.</summary>
    private static SyncMessage Transcript(Guid recipient, RecipientAddress address, DataMessage data, EditMessage? edit)
    {
        ServiceId destination = new Aci(recipient);
        var transcript = new SyncMessage
        {
            Sent = new SyncMessage.Types.Sent
            {
                DestinationServiceId = destination.ToString(),
                DestinationServiceIdBinary = ByteString.CopyFrom(destination.ToBinary()),
                Timestamp = data.Timestamp,
            },
        };
        if (edit is not null)
        {
            transcript.Sent.EditMessage = edit;
        }
        else
        {
            transcript.Sent.Message = data;
        }

        if (address.Kind == RecipientKind.PhoneNumber)
        {
            transcript.Sent.DestinationE164 = address.Value;
        }

        return transcript;
    }
}
