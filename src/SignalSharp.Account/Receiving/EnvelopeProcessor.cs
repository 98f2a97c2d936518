using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Messages;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Receiving;

/// <summary>What became of one envelope; the caller acks the server only after a commit.</summary>
internal enum EnvelopeOutcome
{
    Stored,
    Duplicate,
    Recorded,
    Failed,
}

/// <summary>
/// One envelope through decryption and content handling, with the protocol state change and the inbox item written
/// in one transaction: a crash before the commit leaves the session untouched and the server still holding the
/// message, a crash after it finds the item stored and the message re-delivered as a duplicate.
/// </summary>
internal sealed partial class EnvelopeProcessor(AccountDatabase db, Guid aci, uint deviceId, string? number,
    IReadOnlyCollection<ECPublicKey> trustRoots, ILogger logger)
{
    private readonly ProtocolAddress localAddress = new(aci.ToString(), deviceId);

    /// <summary>Fires after a decryption failure was stored, when the sender is known and a resend request can be built.</summary>
    public Func<RetryRequest, Task>? OnRetryRequest { get; init; }

    /// <summary>Fires (after the commit) for content the account acts on outside the inbox, such as a contact sync.</summary>
    public Func<Guid, Content, Task>? OnContent { get; init; }

    /// <summary>Fires after a message was committed as held for its attachment downloads.</summary>
    public Action? OnHeld { get; init; }

    public async Task<EnvelopeOutcome> ProcessAsync(ReceivedEnvelope envelope, CancellationToken cancellationToken)
    {
        if (envelope.Type == EnvelopeType.ServerDeliveryReceipt)
        {
            return EnvelopeOutcome.Recorded;
        }

        var timestamp = envelope.ClientTimestamp;
        if (envelope.SourceServiceId is { } source && Guid.TryParse(source, out var knownSender)
            && await db.Inbox.ContainsAsync(knownSender, envelope.SourceDevice, timestamp, cancellationToken).ConfigureAwait(false))
        {
            return EnvelopeOutcome.Duplicate;
        }

        var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var stores = tx.ProtocolStores(IdentityOf(envelope));
        DecryptedEnvelope opened;
        try
        {
            opened = await DecryptAsync(envelope, CipherStores.Of(stores), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRedelivery(e))
        {
            return EnvelopeOutcome.Duplicate;
        }
        catch (Exception e) when (IsUndecryptable(e))
        {
            // Nothing of the session changed: the decrypting transaction is dropped (it must end before the next
            // one begins: the database has one writer), and the failure itself is stored.
            await tx.DisposeAsync().ConfigureAwait(false);
            var sender = SenderOf(envelope, e);
            AccountLog.EnvelopeUndecryptable(logger, sender?.Aci?.ToString() ?? "unknown sender", e.GetType().Name);
            var item = InboxItem.Error(InboxStatus.MessageError, "decryption failed: " + e.Message, timestamp, envelope.ServerTimestamp, sender);
            var failure = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var failureDisposal = failure.ConfigureAwait(false);
            await failure.Inbox.InsertAsync(item, cancellationToken).ConfigureAwait(false);
            await failure.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (OnRetryRequest is { } retry && RetryFor(envelope, e, timestamp) is { } request)
            {
                await retry(request).ConfigureAwait(false);
            }

            return EnvelopeOutcome.Failed;
        }

        var inboxSender = new InboxSender(opened.SenderAci, opened.SenderE164, opened.SenderDevice);
        if (ParseContent(opened, out var parseError) is not { } content)
        {
            await tx.Inbox.InsertAsync(InboxItem.Error(InboxStatus.MessageParsingError, "content did not parse: " + parseError, timestamp, envelope.ServerTimestamp, inboxSender), cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return EnvelopeOutcome.Failed;
        }

        var (outcome, held) = await StoreContentAsync(tx, stores, envelope, opened, content, null, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        await AfterCommitAsync(opened.SenderAci, content, held).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>A re-delivery of a message already stored (the process died before its ack), sealed or not.</summary>
    private static bool IsRedelivery(Exception e) =>
        e is DuplicateMessageException or SealedSenderDecryptionException { InnerException: DuplicateMessageException };

    /// <summary>
    /// The one rule, for single envelopes and batches alike, of what the envelope's own bytes make undecryptable:
    /// such an envelope becomes an error item (and is acked); any other exception leaves it with the server.
    /// </summary>
    internal static bool IsUndecryptable(Exception e) =>
        e is ProtocolException or CryptoException or InvalidProtocolBufferException or FormatException or ArgumentException;

    private static AccountIdentity IdentityOf(ReceivedEnvelope envelope) =>
        envelope.DestinationServiceId is { } destination && destination.StartsWith("PNI:", StringComparison.Ordinal)
            ? AccountIdentity.Pni
            : AccountIdentity.Aci;

    private static Content? ParseContent(DecryptedEnvelope opened, out string? error)
    {
        error = null;
        try
        {
            return Content.Parser.ParseFrom(ContentPadding.Strip(opened.PaddedContent));
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>What decrypted content changes in the store (recipient, profile key, inbox item), inside <paramref name="tx"/>.</summary>
    /// <param name="batch">Within a batch transaction, its shared state; null for a single envelope.</param>
    private async Task<(EnvelopeOutcome Outcome, bool Held)> StoreContentAsync(AccountTransaction tx, ProtocolStores stores, ReceivedEnvelope envelope,
        DecryptedEnvelope opened, Content content, BatchState? batch, CancellationToken cancellationToken)
    {
        var senders = batch?.Senders;
        var inboxSender = new InboxSender(opened.SenderAci, opened.SenderE164, opened.SenderDevice);
        var key = (opened.SenderAci, opened.SenderE164);
        if (senders is null || !senders.TryGetValue(key, out var recipient))
        {
            recipient = await tx.Recipients.ResolveAsync(opened.SenderAci, null, opened.SenderE164, cancellationToken).ConfigureAwait(false);
            senders?.Add(key, recipient);
        }

        inboxSender = inboxSender with { E164 = opened.SenderE164 ?? recipient.E164 };
        var outcome = EnvelopeOutcome.Recorded;
        if (content.HasSenderKeyDistributionMessage)
        {
            await GroupMessages.ProcessDistributionAsync(stores, opened.SenderAci, opened.SenderDevice, content.SenderKeyDistributionMessage, logger, cancellationToken).ConfigureAwait(false);
        }

        if (content.HasDecryptionErrorMessage)
        {
            await GroupMessages.ProcessDecryptionErrorAsync(tx, deviceId, opened.SenderAci, opened.SenderDevice, content.DecryptionErrorMessage, logger, cancellationToken).ConfigureAwait(false);
        }

        var held = false;
        if (content.DataMessage is { } data)
        {
            // Every message carries the sender's profile key; it changes rarely, so write it only when it did.
            if (data.HasProfileKey && data.ProfileKey.Length == 32 && (recipient.ProfileKey is null || !data.ProfileKey.Span.SequenceEqual(recipient.ProfileKey)))
            {
                var profileKey = data.ProfileKey.ToByteArray();
                await tx.Recipients.SetProfileKeyAsync(recipient.Id, profileKey, cancellationToken).ConfigureAwait(false);
                if (senders is not null)
                {
                    senders[key] = recipient with { ProfileKey = profileKey };
                }
            }

            var item = ToInboxItem(data, envelope, inboxSender);
            item = item is not null && GroupMessages.GroupIdOf(data) is { } groupId ? item with { GroupId = groupId } : item;
            if (item is not null && data.Attachments.Count > 0)
            {
                // Acked now, downloaded later (outside this transaction); the inbox gets it once they are done.
                outcome = await AttachmentDownloader.HoldAsync(tx, item, data.Attachments, cancellationToken).ConfigureAwait(false)
                    ? EnvelopeOutcome.Stored : EnvelopeOutcome.Duplicate;
                held = outcome == EnvelopeOutcome.Stored;
            }
            else if (item is not null && batch is not null)
            {
                batch.Items.Add((batch.Index, item));
                outcome = EnvelopeOutcome.Stored;
            }
            else if (item is not null)
            {
                var inserted = await tx.Inbox.InsertAsync(item, cancellationToken).ConfigureAwait(false);
                outcome = inserted.Inserted ? EnvelopeOutcome.Stored : EnvelopeOutcome.Duplicate;
            }
        }
        else if (content.ReceiptMessage is { } receipt)
        {
            AccountLog.ReceiptReceived(logger, receipt.Type.ToString(), opened.SenderAci, receipt.Timestamp.Count);
        }
        else if (content.TypingMessage is { } typing)
        {
            AccountLog.TypingReceived(logger, typing.Action.ToString(), opened.SenderAci);
        }
        else if (content.SyncMessage is not null)
        {
            AccountLog.SyncMessageReceived(logger, opened.SenderDevice);
        }

        return (outcome, held);
    }

    /// <summary>The hooks that act on committed content: held attachments, contact sync and the like.</summary>
    private async Task AfterCommitAsync(Guid sender, Content content, bool held)
    {
        if (held)
        {
            OnHeld?.Invoke();
        }

        if (OnContent is { } handler)
        {
            await handler(sender, content).ConfigureAwait(false);
        }
    }

    private static InboxItem? ToInboxItem(DataMessage data, ReceivedEnvelope envelope, InboxSender sender)
    {
        var timestamp = data.HasTimestamp ? data.Timestamp : envelope.ClientTimestamp;
        if (data.Reaction is { } reaction)
        {
            Guid? author = reaction.HasTargetAuthorAciBinary && reaction.TargetAuthorAciBinary.Length == 16
                ? new Guid(reaction.TargetAuthorAciBinary.Span, bigEndian: true)
                : Guid.TryParse(reaction.TargetAuthorAci, out var parsed) ? parsed : null;
            return new InboxItem
            {
                Kind = InboxItemKind.Reaction,
                Timestamp = timestamp,
                ServerTimestamp = envelope.ServerTimestamp,
                Sender = sender,
                Reaction = new InboxReaction(reaction.Emoji, author, null, reaction.TargetSentTimestamp, reaction.Remove),
            };
        }

        if (!data.HasBody && data.Attachments.Count == 0)
        {
            return null;
        }

        return new InboxItem
        {
            Kind = InboxItemKind.Message,
            Timestamp = timestamp,
            ServerTimestamp = envelope.ServerTimestamp,
            Sender = sender,
            Body = data.HasBody ? data.Body : null,
        };
    }

    /// <param name="certificates">Within a batch, the sender certificates already validated; null outside one.</param>
    private async Task<DecryptedEnvelope> DecryptAsync(ReceivedEnvelope envelope, CipherStores stores, CancellationToken cancellationToken,
        SenderCertificateCache? certificates = null)
    {
        var cipher = new SessionCipher(stores.Sessions, stores.IdentityKeys, stores.PreKeys, stores.SignedPreKeys, stores.KyberPreKeys, localAddress);
        switch (envelope.Type)
        {
            case EnvelopeType.DoubleRatchet:
            {
                var (sender, from) = Source(envelope);
                var plaintext = await cipher.DecryptSignalMessageAsync(from, SignalMessage.Deserialize(envelope.Content), cancellationToken).ConfigureAwait(false);
                return new DecryptedEnvelope(sender, null, envelope.SourceDevice, plaintext, false);
            }

            case EnvelopeType.PreKeyMessage:
            {
                var (sender, from) = Source(envelope);
                var plaintext = await cipher.DecryptPreKeySignalMessageAsync(from, PreKeySignalMessage.Deserialize(envelope.Content), cancellationToken).ConfigureAwait(false);
                return new DecryptedEnvelope(sender, null, envelope.SourceDevice, plaintext, false);
            }

            case EnvelopeType.UnidentifiedSender:
            {
                var sealedCipher = new SealedSessionCipher(stores.Sessions, stores.IdentityKeys, stores.PreKeys, stores.SignedPreKeys, stores.KyberPreKeys,
                    stores.SenderKeys, localAddress, number) { CertificateCache = certificates };
                var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var result = await sealedCipher.DecryptAsync(envelope.Content, trustRoots, now, cancellationToken).ConfigureAwait(false);
                var sender = result.SenderAci ?? throw new InvalidSealedSenderMessageException("the sender certificate names no ACI");
                return new DecryptedEnvelope(sender, result.SenderE164, result.SenderDeviceId, result.Plaintext, true);
            }

            case EnvelopeType.PlaintextContent:
            {
                var (sender, _) = Source(envelope);
                return new DecryptedEnvelope(sender, null, envelope.SourceDevice, PlaintextContent.Deserialize(envelope.Content).Body.ToArray(), false);
            }

            default:
                throw new FormatException($"envelope type {(int)envelope.Type} is not one this device decrypts");
        }
    }

    private static (Guid Sender, ProtocolAddress Address) Source(ReceivedEnvelope envelope)
    {
        if (envelope.SourceServiceId is not { } source || !Guid.TryParse(source, out var aci))
        {
            throw new FormatException("the envelope names no ACI sender");
        }

        return (aci, new ProtocolAddress(source, envelope.SourceDevice));
    }

    private RetryRequest? RetryFor(ReceivedEnvelope envelope, Exception failure, ulong timestamp)
    {
        if (failure is SealedSenderDecryptionException { SenderAci: { } sealedSender } sealedFailure)
        {
            return sealedSender == aci && sealedFailure.SenderDeviceId == deviceId
                ? null
                : RetryRequest.For(sealedSender, sealedFailure.SenderDeviceId, sealedFailure.Content.Content, sealedFailure.Content.MessageType, timestamp);
        }

        if (envelope.SourceServiceId is not { } source || !Guid.TryParse(source, out var sender) || (sender == aci && envelope.SourceDevice == deviceId))
        {
            return null;
        }

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

        return envelope.SourceServiceId is { } source && Guid.TryParse(source, out var aci)
            ? new InboxSender(aci, null, envelope.SourceDevice)
            : null;
    }
}
