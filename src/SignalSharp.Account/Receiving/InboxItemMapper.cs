using SignalSharp.Account.Api;
using SignalSharp.Account.Identities;
using SignalSharp.Account.Storage;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// A stored inbox item as the account's callers see it: senders and reaction authors by number when known (a number
/// may become known after the message was stored, by a contact sync arriving later), attachment bytes read from
/// their files unless ignored, failures as failure items.
/// </summary>
internal sealed class InboxItemMapper(AccountDatabase db, AccountRecord record, ContactIdentities identities)
{
    public async Task<ReceivedItem> ToReceivedAsync(InboxItem item, bool ignoreAttachments, CancellationToken cancellationToken)
    {
        item = await WithKnownNumbersAsync(item, cancellationToken).ConfigureAwait(false);
        var received = ToReceivedItem(item);
        if (received is ReceivedMessage { SenderServiceId: not null } && item.Sender?.Aci is { } senderAci
            && await identities.IsUntrustedAsync(senderAci, cancellationToken).ConfigureAwait(false))
        {
            // The sender's safety number changed and the user has not confirmed it: the message says so.
            received = (ReceivedMessage)received with { UntrustedIdentity = true };
        }

        if (received is not ReceivedMessage message || item.Attachments.Count == 0)
        {
            return received;
        }

        var attachments = new List<ReceivedAttachment>(item.Attachments.Count);
        foreach (var attachment in item.Attachments)
        {
            ReadOnlyMemory<byte>? data = null;
            if (!ignoreAttachments && attachment.LocalPath is { } path && File.Exists(path))
            {
                data = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            }

            attachments.Add(new ReceivedAttachment(data, attachment.FileName, attachment.ContentType, attachment.Size));
        }

        return message with { Attachments = attachments };
    }

    private async Task<InboxItem> WithKnownNumbersAsync(InboxItem item, CancellationToken cancellationToken)
    {
        if (item.Sender is { E164: null, Aci: { } aci } sender
            && (await db.Recipients.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false))?.E164 is { } e164)
        {
            item = item with { Sender = sender with { E164 = e164 } };
        }

        if (item.Reaction is { TargetAuthorE164: null, TargetAuthorAci: { } authorAci } reaction)
        {
            var number = authorAci == record.Aci
                ? record.Number
                : (await db.Recipients.GetByAciAsync(authorAci, cancellationToken).ConfigureAwait(false))?.E164;
            if (number is not null)
            {
                item = item with { Reaction = reaction with { TargetAuthorE164 = number } };
            }
        }

        return item;
    }

    private static ReceivedItem ToReceivedItem(InboxItem item)
    {
        if (item.StatusCode != InboxStatus.Success)
        {
            var kind = item.StatusCode switch
            {
                InboxStatus.MissingMessageContent => ReceiveFailureKind.MissingContent,
                InboxStatus.MessageParsingError => ReceiveFailureKind.ParsingError,
                _ => ReceiveFailureKind.MessageError,
            };
            return new ReceiveFailure(kind, item.ErrorMessage ?? "unknown failure");
        }

        var sender = item.Sender?.E164 ?? item.Sender?.Aci?.ToString() ?? "";
        if (item.Kind == InboxItemKind.IdentityChange)
        {
            return new ReceivedIdentityChange((long)item.Timestamp, sender, item.Sender?.Aci is { } changed ? (ServiceId)new Aci(changed) : null, item.Body ?? "");
        }

        ReceivedReaction? reaction = item.Reaction is { } r
            ? new ReceivedReaction(r.Emoji, r.TargetAuthorE164 ?? r.TargetAuthorAci?.ToString() ?? "", (long)r.TargetTimestamp, r.Remove)
            : null;
        return new ReceivedMessage((long)item.Timestamp, sender, item.Body, [], item.Sender?.Aci is { } from ? (ServiceId)new Aci(from) : null, item.GroupId is { Length: GroupId.Length } g ? new GroupId(g) : null, reaction);
    }
}
