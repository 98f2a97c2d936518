using Google.Protobuf;
using SignalSharp.Account.Proto;
using SignalSharp.Service.Transport;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// What of admitted content becomes an inbox item, before any store is asked: the item (with the Content bytes
/// kept, so the rich fields are read when it is handed out), the group it claims to belong to (to be admitted), the
/// attachment pointers to download (a sticker's image and preview images included) and, for typing in a group, the
/// bare group id. Null when the content has nothing a client would see (a profile key update, a group change with
/// no text, a sync message of another kind).
/// </summary>
internal sealed record InboxCandidate(InboxItem Item, GroupContextV2? Group, IReadOnlyList<AttachmentPointer> Attachments, byte[]? TypingGroupId = null);

internal static class InboxItemFactory
{
    private const uint ExpirationTimerUpdateFlag = 2;

    public static InboxCandidate? From(Content content, ReceivedEnvelope envelope, InboxSender sender)
    {
        if (content.DataMessage is { } data)
        {
            return FromData(data, content, envelope, sender);
        }

        if (content.EditMessage is { DataMessage: { } edited } && HasVisibleContent(edited))
        {
            return Message(InboxItemKind.Message, edited, content, envelope, sender);
        }

        if (content.SyncMessage is { } sync)
        {
            return FromSync(sync, content, envelope, sender);
        }

        if (content.ReceiptMessage is { Timestamp.Count: > 0 })
        {
            return new InboxCandidate(Plain(InboxItemKind.Receipt, content, envelope, sender), null, []);
        }

        if (content.StoryMessage is { } story)
        {
            return FromStory(story, content, envelope, sender);
        }

        if (content.TypingMessage is { } typing)
        {
            var groupId = typing.HasGroupId ? typing.GroupId.ToByteArray() : null;
            return new InboxCandidate(Plain(InboxItemKind.Typing, content, envelope, sender) with { GroupId = groupId }, null, [], groupId);
        }

        return null;
    }

    /// <summary>Whether a data message holds anything beyond bookkeeping (a profile key, a bare group change).</summary>
    public static bool HasVisibleContent(DataMessage data) =>
        data.HasBody || data.Attachments.Count > 0 || data.Quote is not null || data.Sticker is not null || data.Delete is not null
        || data.Contact.Count > 0 || (data.Flags & ExpirationTimerUpdateFlag) != 0 || data.PollCreate is not null
        || data.PollVote is not null || data.PollTerminate is not null || data.Payment?.Notification is not null;

    private static InboxCandidate? FromData(DataMessage data, Content content, ReceivedEnvelope envelope, InboxSender sender)
    {
        if (data.Reaction is { } reaction)
        {
            Guid? author = reaction.HasTargetAuthorAciBinary && reaction.TargetAuthorAciBinary.Length == 16
                ? new Guid(reaction.TargetAuthorAciBinary.Span, bigEndian: true)
                : Guid.TryParse(reaction.TargetAuthorAci, out var parsed) ? parsed : null;
            var item = new InboxItem
            {
                Kind = InboxItemKind.Reaction,
                Timestamp = data.HasTimestamp ? data.Timestamp : envelope.ClientTimestamp,
                ServerTimestamp = envelope.ServerTimestamp,
                Sender = sender,
                Reaction = new InboxReaction(reaction.Emoji, author, null, reaction.TargetSentTimestamp, reaction.Remove),
            };
            return new InboxCandidate(item, data.GroupV2, []);
        }

        return HasVisibleContent(data) ? Message(InboxItemKind.Message, data, content, envelope, sender) : null;
    }

    private static InboxCandidate? FromSync(SyncMessage sync, Content content, ReceivedEnvelope envelope, InboxSender sender)
    {
        if (sync.Sent is { } sent)
        {
            var message = sent.EditMessage?.DataMessage ?? sent.Message;
            if (message is null || !HasVisibleContent(message) && message.Reaction is null)
            {
                return null;
            }

            var candidate = Message(InboxItemKind.Sync, message, content, envelope, sender);
            return sent.HasTimestamp ? candidate with { Item = candidate.Item with { Timestamp = sent.Timestamp } } : candidate;
        }

        return sync.Read.Count > 0 || sync.Viewed.Count > 0
            ? new InboxCandidate(Plain(InboxItemKind.Sync, content, envelope, sender), null, [])
            : null;
    }

    // A story with neither a file nor text shows nothing; a story's link preview image is fetched like a message's.
    private static InboxCandidate? FromStory(StoryMessage story, Content content, ReceivedEnvelope envelope, InboxSender sender)
    {
        List<AttachmentPointer> pointers = [];
        if (story.FileAttachment is { } file)
        {
            pointers.Add(file);
        }
        else if (story.TextAttachment?.Preview?.Image is { } previewImage)
        {
            pointers.Add(previewImage);
        }

        if (story.FileAttachment is null && story.TextAttachment is null)
        {
            return null;
        }

        var text = story.TextAttachment is { HasText: true } textStory ? textStory.Text : null;
        var item = Plain(InboxItemKind.Story, content, envelope, sender) with { Body = text };
        return new InboxCandidate(item, story.Group, pointers);
    }

    private static InboxCandidate Message(InboxItemKind kind, DataMessage data, Content content, ReceivedEnvelope envelope, InboxSender sender)
    {
        var pointers = new List<AttachmentPointer>(data.Attachments);
        pointers.AddRange(data.Preview.Where(p => p.Image is not null).Select(p => p.Image));
        if (data.Sticker?.Data is { } stickerImage)
        {
            pointers.Add(stickerImage);
        }

        var item = new InboxItem
        {
            Kind = kind,
            Timestamp = data.HasTimestamp ? data.Timestamp : envelope.ClientTimestamp,
            ServerTimestamp = envelope.ServerTimestamp,
            Sender = sender,
            Body = data.HasBody ? data.Body : null,
            RawContent = content.ToByteArray(),
        };
        return new InboxCandidate(item, data.GroupV2, pointers);
    }

    private static InboxItem Plain(InboxItemKind kind, Content content, ReceivedEnvelope envelope, InboxSender sender) => new()
    {
        Kind = kind,
        Timestamp = envelope.ClientTimestamp,
        ServerTimestamp = envelope.ServerTimestamp,
        Sender = sender,
        RawContent = content.ToByteArray(),
    };
}
