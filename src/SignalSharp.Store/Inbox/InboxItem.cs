namespace SignalSharp.Store.Inbox;

/// <summary>Status codes of inbox items, as the TCP protocol reports them.</summary>
public static class InboxStatus
{
    public const int Success = 0;
    /// <summary>Fetching or decrypting the message failed.</summary>
    public const int MessageError = 8;
    /// <summary>The message had no content.</summary>
    public const int MissingMessageContent = 9;
    /// <summary>The decrypted content could not be parsed.</summary>
    public const int MessageParsingError = 10;
}

/// <summary>What a received item carries; the daemon may show only some kinds to clients.</summary>
public enum InboxItemKind
{
    Message = 0,
    Reaction = 1,
    Receipt = 2,
    Typing = 3,
    Sync = 4,
    Error = 5,
    Other = 6,
    /// <summary>A contact's identity key changed (a reinstall, or someone else): <see cref="InboxItem.Body"/> holds the
    /// new safety number (60 digits). The sender's device is null, so the item never collides with a message.</summary>
    IdentityChange = 7,
    /// <summary>A group changed (a revision applied from the group's change log): <see cref="InboxItem.GroupId"/> names it, the sender
    /// is the change's author (device null), <see cref="InboxItem.RawContent"/> holds what changed (the account layer's record).</summary>
    GroupChange = 8,
    /// <summary>A story (image, video or styled text shown for a day); <see cref="InboxItem.RawContent"/> holds it.</summary>
    Story = 9,
}

/// <summary>Who sent an item, as far as it is known. <see cref="Aci"/> and <see cref="Device"/> are null only for
/// error items whose envelope could not be opened far enough to tell.</summary>
public sealed record InboxSender(Guid? Aci, string? E164, uint? Device);

/// <summary>An attachment of a received message: its metadata and, once downloaded, where its bytes are.</summary>
public sealed record InboxAttachment(
    string? ContentType,
    string? FileName,
    long? Size,
    string? LocalPath = null,
    string? RemoteId = null,
    string? Caption = null);

/// <summary>A reaction to an earlier message (<see cref="TargetTimestamp"/> by <see cref="TargetAuthorAci"/>).</summary>
public sealed record InboxReaction(string Emoji, Guid? TargetAuthorAci, string? TargetAuthorE164, ulong TargetTimestamp, bool Remove);

/// <summary>
/// One received message (or failure to receive one) waiting in, or handed out from, the inbox.
/// <see cref="Id"/> is assigned by the store (0 on items not yet inserted).
/// </summary>
public sealed record InboxItem
{
    public long Id { get; init; }
    public InboxItemKind Kind { get; init; } = InboxItemKind.Message;
    /// <summary>The sender's timestamp of the message (ms since the epoch); with the sender, its identity.</summary>
    public ulong Timestamp { get; init; }
    public ulong ServerTimestamp { get; init; }
    public InboxSender? Sender { get; init; }
    public string? Body { get; init; }
    public byte[]? GroupId { get; init; }
    public IReadOnlyList<InboxAttachment> Attachments { get; init; } = [];
    public InboxReaction? Reaction { get; init; }
    /// <summary><see cref="InboxStatus"/>: 0 for a message, 8/9/10 for an error item.</summary>
    public int StatusCode { get; init; }
    public string? ErrorMessage { get; init; }
    /// <summary>The decrypted Content protobuf, when the pipeline wants to keep it for richer output later.</summary>
    public byte[]? RawContent { get; init; }
    /// <summary>When the store accepted the item (set by the store).</summary>
    public DateTimeOffset ReceivedAt { get; init; }
    /// <summary>When it was handed to a client (set by the store), or null while waiting.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }
    /// <summary>When a taker leased it (set by the store), or null unless leased and not yet confirmed or released.</summary>
    public DateTimeOffset? LeasedAt { get; init; }

    /// <summary>An error item for an envelope that failed (status 8, 9 or 10), keeping whatever is known of it.</summary>
    public static InboxItem Error(int statusCode, string errorMessage, ulong timestamp, ulong serverTimestamp, InboxSender? sender = null)
    {
        if (statusCode is not (InboxStatus.MessageError or InboxStatus.MissingMessageContent or InboxStatus.MessageParsingError))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "An error item has status 8, 9 or 10.");
        }

        return new InboxItem
        {
            Kind = InboxItemKind.Error,
            StatusCode = statusCode,
            ErrorMessage = errorMessage,
            Timestamp = timestamp,
            ServerTimestamp = serverTimestamp,
            Sender = sender,
        };
    }
}

/// <summary>Outcome of <see cref="InboxStore.InsertAsync"/>: either the new item's id, or a duplicate (same sender
/// ACI, device and timestamp as a stored item) that was dropped. Either way the caller may ack the envelope.</summary>
public readonly record struct InboxInsertResult(bool Inserted, long Id)
{
    public bool IsDuplicate => !Inserted;
}

/// <summary>What a prune removed: the items, and the attachment files they named (not yet deleted).</summary>
public sealed record InboxPrune(int Items, IReadOnlyList<string> Files);
