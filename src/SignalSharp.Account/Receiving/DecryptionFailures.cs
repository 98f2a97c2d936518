using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// What an envelope that did not decrypt leaves behind: an error item in the inbox, committed on its own (nothing of
/// the session changed), and, when the sender is known and is not this device, a resend request for it.
/// </summary>
internal sealed class DecryptionFailures(AccountDatabase db, Guid aci, uint deviceId, ILogger logger)
{
    /// <summary>Stores the failure, then hands the resend request (if one can be built) to <paramref name="onRetryRequest"/>.</summary>
    public async Task RecordAsync(ReceivedEnvelope envelope, Exception failure, Func<RetryRequest, Task>? onRetryRequest, CancellationToken cancellationToken)
    {
        var timestamp = envelope.ClientTimestamp;
        var sender = SenderOf(envelope, failure);
        AccountLog.EnvelopeUndecryptable(logger, sender?.Aci?.ToString() ?? "unknown sender", failure.GetType().Name);
        var item = InboxItem.Error(InboxStatus.MessageError, "decryption failed: " + failure.Message, timestamp, envelope.ServerTimestamp, sender);
        var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            await tx.Inbox.InsertAsync(item, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (onRetryRequest is not null && RetryFor(envelope, failure, timestamp) is { } request)
        {
            await onRetryRequest(request).ConfigureAwait(false);
        }
    }

    private RetryRequest? RetryFor(ReceivedEnvelope envelope, Exception failure, ulong timestamp)
    {
        if (failure is SealedSenderDecryptionException { SenderAci: { } sealedSender } sealedFailure)
        {
            return sealedSender == aci && sealedFailure.SenderDeviceId == deviceId
                ? null
                : RetryRequest.For(sealedSender, sealedFailure.SenderDeviceId, sealedFailure.Content.Content, sealedFailure.Content.MessageType, timestamp);
        }

        if (!Aci.TryParse(envelope.SourceServiceId, out var source) || (source.Uuid == aci && envelope.SourceDevice == deviceId))
        {
            return null;
        }

        var sender = source.Uuid;

        return envelope.Type switch
        {
            EnvelopeType.DoubleRatchet => RetryRequest.For(sender, envelope.SourceDevice, envelope.Content, CiphertextMessageType.Whisper, timestamp),
            EnvelopeType.PreKeyMessage => RetryRequest.For(sender, envelope.SourceDevice, envelope.Content, CiphertextMessageType.PreKey, timestamp),
            _ => null,
        };
    }

    private static InboxSender? SenderOf(ReceivedEnvelope envelope, Exception failure)
    {
        if (failure is SealedSenderDecryptionException sealedFailure)
        {
            return new InboxSender(sealedFailure.SenderAci, sealedFailure.SenderE164, sealedFailure.SenderDeviceId);
        }

        return Aci.TryParse(envelope.SourceServiceId, out var sender)
            ? new InboxSender(sender.Uuid, null, envelope.SourceDevice)
            : null;
    }
}
