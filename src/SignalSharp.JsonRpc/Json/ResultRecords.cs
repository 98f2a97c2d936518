using System.Text.Json.Serialization;

namespace SignalSharp.JsonRpc.Json;

/// <summary>The result of send and the other send-family methods.</summary>
public sealed record JsonSendResponse(long Timestamp, IReadOnlyList<JsonSendMessageResult> Results);

/// <summary>One recipient's outcome; <see cref="Type"/> is one of <see cref="SendResultTypes"/>.</summary>
public sealed record JsonSendMessageResult(JsonRecipientAddress RecipientAddress, string? GroupId, string Type, string? Token = null);

public sealed record JsonRecipientAddress(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Uuid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Number);

public static class SendResultTypes
{
    public const string Success = "SUCCESS";
    public const string NetworkFailure = "NETWORK_FAILURE";
    public const string UnregisteredFailure = "UNREGISTERED_FAILURE";
    public const string IdentityFailure = "IDENTITY_FAILURE";
    public const string RateLimitFailure = "RATE_LIMIT_FAILURE";
}

public sealed record JsonVersion(string Version);

public sealed record JsonAccount(string Number);
