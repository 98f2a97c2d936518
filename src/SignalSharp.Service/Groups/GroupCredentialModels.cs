using System.Text.Json.Serialization;

namespace SignalSharp.Service.Groups;

/// <summary>
/// One day's group auth credential from <c>GET /v1/certificate/auth/group</c>: a serialized zkgroup
/// AuthCredentialWithPniResponse and the day (epoch seconds at 00:00 UTC) it may be redeemed on.
/// </summary>
public sealed record GroupAuthCredentialEntry(byte[] Credential, long RedemptionTime);

/// <summary>Answer of <c>GET /v1/certificate/auth/group</c>; <see cref="Pni"/> is the untagged PNI the credentials bind.</summary>
public sealed record GroupAuthCredentials(IReadOnlyList<GroupAuthCredentialEntry> Credentials, string? Pni);

internal sealed record GroupErrorBody(string? Error);

/// <summary>The part of a profile answer the credential route needs (base64 in the JSON).</summary>
internal sealed record ProfileCredentialAnswer(byte[]? Credential);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(GroupAuthCredentials))]
[JsonSerializable(typeof(GroupErrorBody))]
[JsonSerializable(typeof(ProfileCredentialAnswer))]
internal sealed partial class GroupsJsonContext : JsonSerializerContext;
