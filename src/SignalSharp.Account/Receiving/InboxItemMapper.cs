using SignalSharp.Account.Api;
using SignalSharp.Account.Identities;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Storage;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// A stored inbox item as the account's callers see it: senders and reaction authors by number when known (a number
/// may become known after the message was stored, by a contact sync arriving later), attachment bytes read from
/// their files unless ignored, the rich fields read from the kept Content bytes, failures as failure items.
/// </summary>
internal sealed class InboxItemMapper(AccountDatabase db, AccountRecord record, ContactIdentities identities)
{
    public async Task<ReceivedItem> ToReceivedAsync(InboxItem item, bool ignoreAttachments, CancellationToken cancellationToken)
    {
        if (item.Kind == InboxItemKind.GroupChange && item.StatusCode == InboxStatus.Success)
        {
            return await GroupChangeItemReader.ReadAsync(item, NumberOfAsync, cancellationToken).ConfigureAwait(false);
        }

        item = await WithKnownNumbersAsync(item, cancellationToken).ConfigureAwait(false);
        var content = ParseKept(item);
        var numbers = content is null
            ? new Dictionary<Guid, string>()
            : await NumbersAsync(MessageDetailsReader.AcisOf(content), cancellationToken).ConfigureAwait(false);
        var received = ToReceivedItem(item, content, numbers);
        if (received is ReceivedMessage { SenderServiceId: not null } && item.Sender?.Aci is { } senderAci
            && await identities.IsUntrustedAsync(senderAci, cancellationToken).ConfigureAwait(false))
        {
            // The sender's safety number changed and the user has not confirmed it: the message says so.
            received = (ReceivedMessage)received with { UntrustedIdentity = true };
        }

        if (received is ReceivedMessage { SenderServiceId: not null } named && item.Sender?.Aci is { } nameOf)
        {
            received = named with { SenderName = await NameOfAsync(nameOf, cancellationToken).ConfigureAwait(false) };
        }

        if (item.Attachments.Count == 0)
        {
            return received;
        }

        var attachments = await AttachmentsAsync(item, ignoreAttachments, cancellationToken).ConfigureAwait(false);
        return received switch
        {
            ReceivedMessage message => message with { Attachments = attachments },
            ReceivedSentTranscript sent => sent with { Message = sent.Message with { Attachments = attachments } },
            _ => received,
        };
    }

    private static async Task<IReadOnlyList<ReceivedAttachment>> AttachmentsAsync(InboxItem item, bool ignoreAttachments, CancellationToken cancellationToken)
    {
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

        return attachments;
    }

    private async Task<InboxItem> WithKnownNumbersAsync(InboxItem item, CancellationToken cancellationToken)
    {
        if (item.Sender is { E164: null, Aci: { } aci } sender
            && (await db.Recipients.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false))?.E164 is { } e164)
        {
            item = item with { Sender = sender with { E164 = e164 } };
        }

        if (item.Reaction is { TargetAuthorE164: null, TargetAuthorAci: { } authorAci } reaction
            && await NumberOfAsync(authorAci, cancellationToken).ConfigureAwait(false) is { } number)
        {
            item = item with { Reaction = reaction with { TargetAuthorE164 = number } };
        }

        return item;
    }

    private async Task<Dictionary<Guid, string>> NumbersAsync(IEnumerable<Guid> acis, CancellationToken cancellationToken)
    {
        var numbers = new Dictionary<Guid, string>();
        foreach (var aci in acis)
        {
            if (await NumberOfAsync(aci, cancellationToken).ConfigureAwait(false) is { } number)
            {
                numbers[aci] = number;
            }
        }

        return numbers;
    }

    /// <summary>signal-cli's "contact or profile name": the contact list's name first, else the profile name.</summary>
    private async Task<string?> NameOfAsync(Guid aci, CancellationToken cancellationToken)
    {
        if (await db.Contacts.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false) is { } contact)
        {
            return string.IsNullOrEmpty(contact.Name) ? contact.Recipient.ProfileName : contact.Name;
        }

        return (await db.Recipients.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false))?.ProfileName;
    }

    private async Task<string?> NumberOfAsync(Guid aci, CancellationToken cancellationToken) => aci == record.Aci
        ? record.Number
        : (await db.Recipients.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false))?.E164;

    /// <summary>The kept Content, or null when none was kept (older items) or it no longer parses.</summary>
    private static Content? ParseKept(InboxItem item)
    {
        if (item.RawContent is not { Length: > 0 } raw)
        {
            return null;
        }

        try
        {
            return Content.Parser.ParseFrom(raw);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private ReceivedItem ToReceivedItem(InboxItem item, Content? content, IReadOnlyDictionary<Guid, string> numbers)
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

        if (item.Kind is InboxItemKind.Typing or InboxItemKind.Receipt or InboxItemKind.Sync && content is not null
            && EventItemReader.Read(item, content, sender, numbers) is { } side)
        {
            return side;
        }

        ReceivedReaction? reaction = item.Reaction is { } r
            ? new ReceivedReaction(r.Emoji, r.TargetAuthorE164 ?? r.TargetAuthorAci?.ToString() ?? "", (long)r.TargetTimestamp, r.Remove)
            : null;
        var message = new ReceivedMessage((long)item.Timestamp, sender, item.Body, [], item.Sender?.Aci is { } from ? (ServiceId)new Aci(from) : null,
            item.GroupId is { Length: GroupId.Length } g ? new GroupId(g) : null, reaction);
        if (item.Kind == InboxItemKind.Story && content?.StoryMessage is { } story)
        {
            return message with { Details = StoryReader.Details(story) };
        }

        if (content is null || MessageDetailsReader.MessageOf(content) is not ({ } data, var editTarget))
        {
            return message;
        }

        message = message with { Details = MessageDetailsReader.Details(data, editTarget, numbers) };
        if (item.Kind != InboxItemKind.Sync || content.SyncMessage?.Sent is not { } sent)
        {
            return message;
        }

        // A Sent transcript: the account itself sent it, from another of its devices.
        message = message with { Sender = record.Number ?? record.Aci.ToString(), Reaction = MessageDetailsReader.ReactionOf(data, numbers, record.Number ?? record.Aci.ToString(), record.Aci) };
        var destinationAci = MessageDetailsReader.Aci(sent.DestinationServiceIdBinary, sent.DestinationServiceId);
        var destination = sent.HasDestinationE164 ? sent.DestinationE164
            : destinationAci is { } d ? numbers.GetValueOrDefault(d) ?? d.ToString() : null;
        return new ReceivedSentTranscript(message, destination, destinationAci?.ToString());
    }
}
