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
    JsonDataMessage? DataMessage);

/// <summary>signal-cli's JsonDataMessage: timestamp, message and expiresInSeconds always; the rest when set.</summary>
public sealed record JsonDataMessage(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long Timestamp,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int ExpiresInSeconds,
    JsonReaction? Reaction,
    IReadOnlyList<JsonAttachment>? Attachments,
    JsonGroupInfo? GroupInfo);

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

public sealed record JsonGroupInfo(string GroupId, string Type);
