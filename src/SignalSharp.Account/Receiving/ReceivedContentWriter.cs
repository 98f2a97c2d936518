using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Protocol;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// What admitted, decrypted content changes in the store, inside the caller's transaction: the sender's recipient
/// and profile key, a changed identity reported, sender keys, group admission, and the inbox item (held for its
/// attachments, queued for a batch, or inserted). It neither decrypts nor commits.
/// </summary>
internal sealed class ReceivedContentWriter(Guid aci, uint deviceId, ILogger logger)
{
    /// <summary>
    /// Whether stories become items. The server sends them only to a socket that asked for them, but that is its
    /// word: without it they are dropped here too.
    /// </summary>
    public bool ReceiveStories { get; init; }

    /// <param name="batch">Within a batch transaction, its shared state; null for a single envelope.</param>
    /// <param name="groupsRefreshed">Whether the group this envelope names was fetched for it already.</param>
    /// <returns>The outcome, and whether the item was held for its attachment downloads.</returns>
    /// <exception cref="GroupStateNeededException">The content names a group the store cannot judge yet.</exception>
    public async Task<(EnvelopeOutcome Outcome, bool Held)> StoreAsync(AccountTransaction tx, ProtocolStores stores, ReceivedEnvelope envelope,
        DecryptedEnvelope opened, Content content, ContentBatch? batch, bool groupsRefreshed, CancellationToken cancellationToken)
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
        if (opened.ReplacedIdentity is { } newIdentity)
        {
            // Reported in the same commit as the session that brought the new key, before anything it sent.
            var change = await IdentityChangeItemAsync(stores, envelope, inboxSender, newIdentity, cancellationToken).ConfigureAwait(false);
            if (batch is not null)
            {
                batch.Items.Add((batch.Index, change));
            }
            else
            {
                await tx.Inbox.InsertAsync(change, cancellationToken).ConfigureAwait(false);
            }
        }

        if (content.HasSenderKeyDistributionMessage)
        {
            await GroupMessages.ProcessDistributionAsync(stores, opened.SenderAci, opened.SenderDevice, content.SenderKeyDistributionMessage, logger, cancellationToken).ConfigureAwait(false);
        }

        if (content.HasDecryptionErrorMessage)
        {
            await GroupMessages.ProcessDecryptionErrorAsync(tx, deviceId, opened.SenderAci, opened.SenderDevice, content.DecryptionErrorMessage, logger, cancellationToken).ConfigureAwait(false);
        }

        var candidate = InboxItemFactory.From(content, envelope, inboxSender);
        if (candidate?.Item.Kind == InboxItemKind.Story && !ReceiveStories)
        {
            AccountLog.StoryDropped(logger, opened.SenderAci, opened.SenderDevice);
            return (EnvelopeOutcome.Dropped, false);
        }

        var context = candidate?.Group ?? content.DataMessage?.GroupV2;
        var groupId = GroupMessages.GroupIdOf(context);
        if (context is not null && groupId is not null)
        {
            // A Sent transcript speaks for this account: it is the member whose right to post is checked.
            var poster = content.SyncMessage is null ? opened.SenderAci : aci;
            if (await GroupAdmission.RejectionAsync(tx, context, groupId, poster, aci, groupsRefreshed, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                AccountLog.GroupMessageRefused(logger, opened.SenderAci, opened.SenderDevice, Convert.ToBase64String(groupId), refused);
                return (outcome, false);
            }
        }

        if (candidate?.TypingGroupId is { } typingGroup && !await BothMembersAsync(tx, typingGroup, opened.SenderAci, cancellationToken).ConfigureAwait(false))
        {
            return (outcome, false);
        }

        if (await BlockFilter.DropsAsync(tx, aci, opened.SenderAci, opened.SenderDevice, groupId, logger, cancellationToken).ConfigureAwait(false))
        {
            return (EnvelopeOutcome.Dropped, false);
        }

        if (content.DataMessage is { } data && data.HasProfileKey && data.ProfileKey.Length == 32
            && (recipient.ProfileKey is null || !data.ProfileKey.Span.SequenceEqual(recipient.ProfileKey)))
        {
            // Every message carries the sender's profile key; it changes rarely, so write it only when it did.
            var profileKey = data.ProfileKey.ToByteArray();
            await tx.Recipients.SetProfileKeyAsync(recipient.Id, profileKey, cancellationToken).ConfigureAwait(false);
            if (senders is not null)
            {
                senders[key] = recipient with { ProfileKey = profileKey };
            }
        }

        if (candidate is null)
        {
            LogUnshown(content, opened);
            return (outcome, false);
        }

        var item = groupId is not null ? candidate.Item with { GroupId = groupId } : candidate.Item;
        var held = false;
        if (candidate.Attachments.Count > 0)
        {
            // Acked now, downloaded later (outside this transaction); the inbox gets it once they are done.
            outcome = await AttachmentDownloader.HoldAsync(tx, item, candidate.Attachments, cancellationToken).ConfigureAwait(false)
                ? EnvelopeOutcome.Stored : EnvelopeOutcome.Duplicate;
            held = outcome == EnvelopeOutcome.Stored;
        }
        else if (batch is not null)
        {
            batch.Items.Add((batch.Index, item));
            outcome = EnvelopeOutcome.Stored;
        }
        else
        {
            var inserted = await tx.Inbox.InsertAsync(item, cancellationToken).ConfigureAwait(false);
            outcome = inserted.Inserted ? EnvelopeOutcome.Stored : EnvelopeOutcome.Duplicate;
        }

        return (outcome, held);
    }

    /// <summary>Typing names a group by its bare id: shown only in a group this account and the sender are in.</summary>
    private async Task<bool> BothMembersAsync(AccountTransaction tx, byte[] groupId, Guid sender, CancellationToken cancellationToken) =>
        await tx.Groups.GetAsync(groupId, cancellationToken).ConfigureAwait(false) is { } group && group.IsMember(aci) && group.IsMember(sender);

    private void LogUnshown(Content content, DecryptedEnvelope opened)
    {
        if (content.SyncMessage is not null)
        {
            AccountLog.SyncMessageReceived(logger, opened.SenderDevice);
        }
    }

    private async Task<InboxItem> IdentityChangeItemAsync(ProtocolStores stores, ReceivedEnvelope envelope, InboxSender sender, IdentityKey newIdentity,
        CancellationToken cancellationToken)
    {
        var own = await stores.IdentityKeys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        var safetyNumber = Protocol.Fingerprints.Fingerprint.ForAcis(aci, own.IdentityKey, sender.Aci!.Value, newIdentity).Displayable.Value;
        AccountLog.IdentityChanged(logger, sender.Aci.Value);
        return new InboxItem
        {
            Kind = InboxItemKind.IdentityChange,
            Timestamp = envelope.ClientTimestamp,
            ServerTimestamp = envelope.ServerTimestamp,
            Sender = sender with { Device = null },
            Body = safetyNumber,
        };
    }

    private static InboxItem? ToInboxItem(DataMessage data, ReceivedEnvelope envelope, InboxSender sender)
    {
        var timestamp = data.HasTimestamp ? data.Timestamp : envelope.ClientTimestamp;
        if (data.Reaction is { } reaction)
        {
            Guid? author = reaction.HasTargetAuthorAciBinary && ServiceId.TryParseBinary(reaction.TargetAuthorAciBinary.Span, out var binary) && binary.IsAci
                ? binary.Uuid
                : Aci.TryParse(reaction.TargetAuthorAci, out var parsed) ? parsed.Uuid : null;
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
}
