namespace SignalSharp.Account.Api;

/// <summary>Where a message or reaction goes: one person or one group.</summary>
public abstract record MessageTarget;

public sealed record RecipientTarget(RecipientAddress Recipient) : MessageTarget;

public sealed record GroupTarget(GroupId GroupId) : MessageTarget;

/// <summary>An attachment to send: its decoded bytes and the file name the client gave, if any.</summary>
public sealed record OutgoingAttachment(ReadOnlyMemory<byte> Data, string? FileName, string? ContentType);

/// <summary>
/// A data message to send. At least one of <see cref="Text"/> and <see cref="Attachments"/> is non-empty. It may
/// quote an earlier message, mention people and style ranges of the text (ranges in UTF-16 code units), replace the
/// account's own earlier message sent at <see cref="EditTargetTimestamp"/>, or be meant to be seen once.
/// </summary>
public sealed record OutgoingMessage(string? Text, IReadOnlyList<OutgoingAttachment> Attachments)
{
    /// <summary>The sent timestamp to use (ms since the epoch), so that one message sent to several recipients has one id; now when null.</summary>
    public long? Timestamp { get; init; }

    public OutgoingQuote? Quote { get; init; }

    public IReadOnlyList<OutgoingMention> Mentions { get; init; } = [];

    public IReadOnlyList<OutgoingTextStyle> TextStyles { get; init; } = [];

    public long? EditTargetTimestamp { get; init; }

    public bool ViewOnce { get; init; }

    /// <summary>A poll created, voted on or closed; the message needs no text then.</summary>
    public OutgoingPoll? Poll { get; init; }

    /// <summary>A link preview; Signal's apps show it only when its URL is in the text.</summary>
    public OutgoingPreview? Preview { get; init; }

    /// <summary>A sticker from a pack the account knows (<see cref="IAccountStickers"/>); the message needs no text then.</summary>
    public OutgoingSticker? Sticker { get; init; }
}

/// <summary>A link preview: the URL, its page's title and description, and an image to show.</summary>
public sealed record OutgoingPreview(string Url, string? Title, string? Description, OutgoingAttachment? Image);

/// <summary>The message a reply quotes: sent at <see cref="Timestamp"/> by <see cref="Author"/>, with its text.</summary>
public sealed record OutgoingQuote(long Timestamp, RecipientAddress Author, string? Text);

/// <summary>A mention of <see cref="Recipient"/> over <see cref="Length"/> UTF-16 code units from <see cref="Start"/>.</summary>
public sealed record OutgoingMention(int Start, int Length, RecipientAddress Recipient);

/// <summary>A style over <see cref="Length"/> UTF-16 code units of the text from <see cref="Start"/>.</summary>
public sealed record OutgoingTextStyle(int Start, int Length, TextStyle Style);

/// <summary>A reaction to the message that <see cref="TargetAuthor"/> sent at <see cref="TargetTimestamp"/>.</summary>
public sealed record OutgoingReaction(string Emoji, RecipientAddress TargetAuthor, long TargetTimestamp, bool Remove)
{
    /// <summary>The reaction message's own timestamp (ms since the epoch); now when null.</summary>
    public long? Timestamp { get; init; }
}

/// <summary>
/// The outcome of a send: the timestamp (ms since the epoch) that identifies the sent message and, for a group send,
/// one entry per other member (<see cref="RecipientSendResult.Success"/> false for those it could not reach).
/// </summary>
public sealed record SendResult(long Timestamp, IReadOnlyList<RecipientSendResult>? Results = null);

/// <summary>A receive request; <see cref="Timeout"/> is already clamped by the daemon.</summary>
public sealed record ReceiveRequest(TimeSpan Timeout, bool IgnoreAttachments);

/// <summary>One item handed out by <see cref="ISignalAccount.ReceiveAsync"/>: a message or a failure.</summary>
public abstract record ReceivedItem;

/// <summary>A received attachment; <see cref="Data"/> is null when attachments were ignored or not downloaded.</summary>
public sealed record ReceivedAttachment(ReadOnlyMemory<byte>? Data, string? FileName, string? ContentType, long? Size);

/// <summary>A received reaction (shaped as in send_reaction).</summary>
public sealed record ReceivedReaction(string Emoji, string TargetAuthor, long TargetTimestamp, bool Remove);

/// <summary>
/// A received message. <see cref="Sender"/> is the sender's phone number when known, else its service id;
/// <see cref="SenderServiceId"/>, <see cref="GroupId"/> and <see cref="Reaction"/> are optional extensions.
/// <see cref="UntrustedIdentity"/> is true when the sender's identity key changed and the user has not trusted it yet.
/// <see cref="Details"/> holds the rest (quote, mentions, styles, edit, delete, sticker, timer, and so on).
/// </summary>
public sealed record ReceivedMessage(
    long Timestamp,
    string Sender,
    string? Body,
    IReadOnlyList<ReceivedAttachment> Attachments,
    ServiceId? SenderServiceId = null,
    GroupId? GroupId = null,
    ReceivedReaction? Reaction = null,
    bool UntrustedIdentity = false) : ReceivedItem
{
    public MessageDetails Details { get; init; } = MessageDetails.None;

    /// <summary>
    /// The sender as the account knows them: the name the contact list gives them, else their profile name; null
    /// when neither is known (yet: profiles are fetched in the background, so the first message may come without).
    /// </summary>
    public string? SenderName { get; init; }
}

public enum ReceiveFailureKind
{
    /// <summary>Fetching or decrypting the message failed (status 8).</summary>
    MessageError,

    /// <summary>The message had no content (status 9).</summary>
    MissingContent,

    /// <summary>The message could not be parsed (status 10).</summary>
    ParsingError,
}

/// <summary>A message that arrived but cannot be shown; listed so that nothing vanishes silently.</summary>
public sealed record ReceiveFailure(ReceiveFailureKind Kind, string ErrorMessage) : ReceivedItem;
