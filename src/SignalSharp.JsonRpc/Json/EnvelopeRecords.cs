using System.Text.Json.Serialization;

namespace SignalSharp.JsonRpc.Json;

/// <summary>The params of a <c>receive</c> notification (and one element of a polling receive's result).</summary>
public sealed record JsonReceivePayload(JsonMessageEnvelope? Envelope, string Account, JsonReceiveError? Exception = null);

/// <summary>Why a received message cannot be shown, as signal-cli reports it beside (or instead of) the envelope.</summary>
public sealed record JsonReceiveError(string Message, string Type);

/// <summary>
/// signal-cli's JsonMessageEnvelope: the sender and timestamp members are always written, null or not; the message
/// kinds are written only when present.
/// </summary>
public sealed record JsonMessageEnvelope(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Source,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? SourceNumber,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? SourceUuid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? SourceName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? SourceDevice,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long Timestamp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? ServerReceivedTimestamp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? ServerDeliveredTimestamp,
    JsonDataMessage? DataMessage)
{
    public JsonEditMessage? EditMessage { get; init; }

    public JsonSyncMessage? SyncMessage { get; init; }

    public JsonReceiptMessage? ReceiptMessage { get; init; }

    public JsonTypingMessage? TypingMessage { get; init; }

    public JsonStoryMessage? StoryMessage { get; init; }
}

/// <summary>signal-cli's JsonDataMessage: timestamp, message and expiresInSeconds always; the rest when set.</summary>
public record JsonDataMessage(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long Timestamp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int ExpiresInSeconds,
    JsonReaction? Reaction,
    IReadOnlyList<JsonAttachment>? Attachments,
    JsonGroupInfo? GroupInfo)
{
    /// <summary>True, or left out.</summary>
    public bool? IsExpirationUpdate { get; init; }

    /// <summary>True, or left out.</summary>
    public bool? ViewOnce { get; init; }

    public JsonQuote? Quote { get; init; }

    public IReadOnlyList<JsonMention>? Mentions { get; init; }

    public IReadOnlyList<JsonPreview>? Previews { get; init; }

    public JsonSticker? Sticker { get; init; }

    public JsonRemoteDelete? RemoteDelete { get; init; }

    public IReadOnlyList<JsonTextStyle>? TextStyles { get; init; }

    public JsonPollCreate? PollCreate { get; init; }

    public JsonPollVote? PollVote { get; init; }

    public JsonPollTerminate? PollTerminate { get; init; }

    public JsonPayment? Payment { get; init; }

    /// <summary>Shared contact cards (signal-cli's <c>contacts</c>).</summary>
    public IReadOnlyList<JsonSharedContact>? Contacts { get; init; }
}

/// <summary>
/// A Sent transcript's message: signal-cli writes the data message's members and the destination side by side.
/// </summary>
public sealed record JsonSyncDataMessage : JsonDataMessage
{
    public JsonSyncDataMessage(string? destinationNumber, string? destinationUuid, JsonDataMessage message)
        : base(message)
    {
        Destination = destinationNumber ?? destinationUuid;
        DestinationNumber = destinationNumber;
        DestinationUuid = destinationUuid;
    }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Destination { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? DestinationNumber { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? DestinationUuid { get; init; }

    public JsonEditMessage? EditMessage { get; init; }
}

public sealed record JsonEditMessage(long TargetSentTimestamp, JsonDataMessage DataMessage);

public sealed record JsonSyncMessage(JsonSyncDataMessage? SentMessage, IReadOnlyList<JsonSyncReadMessage>? ReadMessages, IReadOnlyList<JsonSyncReadMessage>? ViewedMessages);

public sealed record JsonSyncReadMessage(string? Sender, string? SenderNumber, string? SenderUuid, long Timestamp);

public sealed record JsonReceiptMessage(long When, bool IsDelivery, bool IsRead, bool IsViewed, IReadOnlyList<long> Timestamps);

public sealed record JsonTypingMessage(string Action, long Timestamp, string? GroupId);

public sealed record JsonQuote(
    long Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Author,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AuthorNumber,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? AuthorUuid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Text,
    IReadOnlyList<JsonMention>? Mentions,
    IReadOnlyList<JsonQuotedAttachment> Attachments,
    IReadOnlyList<JsonTextStyle>? TextStyles);

public sealed record JsonQuotedAttachment(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ContentType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Filename);

public sealed record JsonMention(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Number,
    string Uuid,
    int Start,
    int Length);

public sealed record JsonTextStyle(string Style, int Start, int Length);

public sealed record JsonPreview(string Url, string? Title, string? Description);

public sealed record JsonSticker(string PackId, int StickerId);

public sealed record JsonRemoteDelete(long Timestamp);

public sealed record JsonPollCreate(string? Question, bool AllowMultiple, IReadOnlyList<string> Options);

public sealed record JsonPollVote(string? AuthorUuid, long TargetSentTimestamp, IReadOnlyList<int> OptionIndexes, int? VoteCount);

public sealed record JsonPollTerminate(long TargetSentTimestamp);

public sealed record JsonPayment(string? Note);

/// <summary>
/// A shared contact card as signal-cli's JsonSharedContact names it; what the card does not carry (or the account
/// does not keep: the phone and email types, addresses, the avatar) is left out, never guessed.
/// </summary>
public sealed record JsonSharedContact(JsonContactName Name, IReadOnlyList<JsonContactValue>? Phone, IReadOnlyList<JsonContactValue>? Email, string? Organization);

public sealed record JsonContactName(string? Display);

public sealed record JsonContactValue(string Value);

public sealed record JsonReaction(
    string Emoji,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TargetAuthor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TargetAuthorNumber,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? TargetAuthorUuid,
    long TargetSentTimestamp,
    bool IsRemove);

public sealed record JsonAttachment(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ContentType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Filename,
    string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Size);

/// <summary>signal-cli's groupInfo: DELIVER for a message, UPDATE (with the new revision) for a group change.</summary>
public sealed record JsonGroupInfo(string GroupId, [property: JsonPropertyOrder(1)] string Type)
{
    public string? GroupName { get; init; }

    public uint? Revision { get; init; }

    /// <summary>SignalSharp's addition on an UPDATE: what the change did.</summary>
    [JsonPropertyOrder(2)]
    public IReadOnlyList<JsonGroupChange>? Changes { get; init; }
}

/// <summary>One thing a group change did (SignalSharp's addition to signal-cli's groupInfo).</summary>
public sealed record JsonGroupChange(string Kind, string? Member, string? MemberUuid, string? Value);
