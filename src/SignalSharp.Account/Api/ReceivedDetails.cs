namespace SignalSharp.Account.Api;

/// <summary>
/// A mention of <see cref="ServiceId"/> covering <see cref="Length"/> UTF-16 code units of the text from
/// <see cref="Start"/> (Signal counts in UTF-16, so an emoji before a mention moves it by two).
/// <see cref="Number"/> is the mentioned person's phone number when the account knows it.
/// </summary>
public sealed record ReceivedMention(int Start, int Length, string ServiceId, string? Number);

/// <summary>The styles Signal applies to ranges of a text (numbered as Signal's BodyRange.Style numbers them).</summary>
public enum TextStyle
{
    Bold = 1,
    Italic = 2,
    Spoiler = 3,
    Strikethrough = 4,
    Monospace = 5,
}

/// <summary>A style over <see cref="Length"/> UTF-16 code units of the text from <see cref="Start"/>.</summary>
public sealed record ReceivedTextStyle(int Start, int Length, TextStyle Style);

/// <summary>An attachment of a quoted message, as the quote names it (the bytes are not sent again).</summary>
public sealed record QuotedAttachment(string? ContentType, string? FileName);

/// <summary>
/// The message a reply quotes: <see cref="Id"/> is its timestamp, <see cref="Author"/> its author's number when
/// known (else the service id), with the quoted text and its ranges.
/// </summary>
public sealed record ReceivedQuote(
    long Id,
    string? Author,
    string? AuthorServiceId,
    string? Text,
    IReadOnlyList<ReceivedMention> Mentions,
    IReadOnlyList<ReceivedTextStyle> TextStyles,
    IReadOnlyList<QuotedAttachment> Attachments);

/// <summary>A sticker (ids in hex, as Signal's sticker links write them); its image is the message's last attachment.</summary>
public sealed record ReceivedSticker(string PackId, string PackKey, int StickerId, string? Emoji);

/// <summary>A link preview; its image, when it has one, is among the message's attachments.</summary>
public sealed record ReceivedPreview(string Url, string? Title, string? Description, long? Date);

/// <summary>A shared contact card.</summary>
public sealed record ReceivedContactCard(string? Name, string? Organization, IReadOnlyList<string> PhoneNumbers, IReadOnlyList<string> Emails);

/// <summary>A poll: created (question and options), voted on, or closed (naming the poll's message timestamp).</summary>
public sealed record ReceivedPoll(
    string? Question = null,
    IReadOnlyList<string>? Options = null,
    bool AllowMultiple = false,
    long? TargetTimestamp = null,
    string? TargetAuthorServiceId = null,
    IReadOnlyList<int>? OptionIndexes = null,
    int? VoteCount = null,
    bool Terminate = false);

/// <summary>
/// A story a contact posted (to its contacts, or to a group: the message's group id), shown by Signal's apps for a
/// day. An image or video story is the message's attachment; a text story is <see cref="Text"/>, whose words are
/// also the message's body. Only handed out when the account receives stories (`--receive-stories`).
/// </summary>
public sealed record ReceivedStory(bool AllowsReplies, ReceivedTextStory? Text);

/// <summary>
/// A text story's look: Signal's style name (REGULAR, BOLD, SERIF, SCRIPT, CONDENSED), colors as ARGB, and a
/// background that is either one <see cref="BackgroundColor"/> or a <see cref="Gradient"/>. A link preview's image,
/// when it has one, is the message's attachment.
/// </summary>
public sealed record ReceivedTextStory(
    string? Text,
    string? Style,
    uint? ForegroundColor,
    uint? TextBackgroundColor,
    ReceivedPreview? Preview,
    ReceivedGradient? Gradient,
    uint? BackgroundColor);

/// <summary>A background gradient: ARGB colors at positions from 0 to 1, turned by <see cref="Angle"/> degrees.</summary>
public sealed record ReceivedGradient(IReadOnlyList<uint> Colors, IReadOnlyList<float> Positions, uint? Angle);

/// <summary>
/// What a message carries beyond its text and attachments. Every list is empty, and every other field null or
/// false, when the message has none of it. <see cref="EditTargetTimestamp"/> names the earlier message an edit
/// replaces (the message then carries the new content); <see cref="RemoteDeleteTimestamp"/> the message its sender
/// deleted for everyone. <see cref="ExpirationUpdate"/> marks a change of the conversation's disappearing-messages
/// timer to <see cref="ExpiresInSeconds"/> (0: off).
/// </summary>
public sealed record MessageDetails
{
    public static MessageDetails None { get; } = new();

    public int ExpiresInSeconds { get; init; }

    public bool ExpirationUpdate { get; init; }

    public bool ViewOnce { get; init; }

    public ReceivedQuote? Quote { get; init; }

    public IReadOnlyList<ReceivedMention> Mentions { get; init; } = [];

    public IReadOnlyList<ReceivedTextStyle> TextStyles { get; init; } = [];

    public long? EditTargetTimestamp { get; init; }

    public long? RemoteDeleteTimestamp { get; init; }

    public ReceivedSticker? Sticker { get; init; }

    public IReadOnlyList<ReceivedPreview> Previews { get; init; } = [];

    public IReadOnlyList<ReceivedContactCard> Contacts { get; init; } = [];

    public ReceivedPoll? Poll { get; init; }

    public string? PaymentNote { get; init; }

    /// <summary>Set when the item is a story rather than a message.</summary>
    public ReceivedStory? Story { get; init; }
}

/// <summary>A contact started or stopped typing (in a group, when <see cref="GroupId"/> is set).</summary>
public sealed record ReceivedTyping(long Timestamp, string Sender, string? SenderServiceId, bool Started, GroupId? GroupId) : ReceivedItem;

public enum ReceiptKind
{
    Delivery,
    Read,
    Viewed,
}

/// <summary>A contact's device received, read or viewed the messages sent at <see cref="MessageTimestamps"/>.</summary>
public sealed record ReceivedReceipt(long Timestamp, string Sender, string? SenderServiceId, ReceiptKind Kind, IReadOnlyList<long> MessageTimestamps) : ReceivedItem;

/// <summary>
/// A message one of the account's other devices sent (a Sent transcript): <see cref="Message"/> is the message as
/// sent, its sender the account itself; it went to <see cref="Destination"/> (a number when known, else a service
/// id) or, when <see cref="ReceivedMessage.GroupId"/> is set, to that group.
/// </summary>
public sealed record ReceivedSentTranscript(ReceivedMessage Message, string? Destination, string? DestinationServiceId) : ReceivedItem;

/// <summary>A message by <see cref="Sender"/> sent at <see cref="Timestamp"/>, as a read or viewed sync names it.</summary>
public sealed record SyncedMessageRef(string Sender, string? SenderServiceId, long Timestamp);

/// <summary>Another of the account's devices read (or, with <see cref="Viewed"/>, viewed) these messages.</summary>
public sealed record ReceivedReadSync(long Timestamp, bool Viewed, IReadOnlyList<SyncedMessageRef> Messages) : ReceivedItem;
