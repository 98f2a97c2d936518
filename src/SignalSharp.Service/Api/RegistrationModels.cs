using System.Text.Json.Serialization;

namespace SignalSharp.Service.Api;

/// <summary>A registration (verification) session: what the server still wants before it sends or checks a code.</summary>
public sealed record VerificationSession(string Id, bool AllowedToRequestCode, IReadOnlyList<string>? RequestedInformation, bool Verified)
{
    public int? NextSms { get; init; }

    public int? NextCall { get; init; }

    public int? NextVerificationAttempt { get; init; }
}

public sealed record RegistrationAccountAttributes(uint RegistrationId, uint PniRegistrationId, string RecoveryPassword)
{
    public bool FetchesMessages { get; init; } = true;

    public AccountCapabilities Capabilities { get; init; } = new();

    /// <summary>
    /// The 16-byte access key derived from the profile key. Sent as a JSON array of numbers: the mock's schema
    /// accepts only that form (a JSON byte-array binding reads it too).
    /// </summary>
    public IReadOnlyList<int> UnidentifiedAccessKey { get; init; } = new int[16];

    public bool UnrestrictedUnidentifiedAccess { get; init; }

    public bool DiscoverableByPhoneNumber { get; init; } = true;
}

/// <summary>Body of <c>POST /v1/registration</c>.</summary>
public sealed record RegisterAccountRequest(
    string SessionId,
    RegistrationAccountAttributes AccountAttributes,
    byte[] AciIdentityKey,
    byte[] PniIdentityKey,
    SignedPreKeyEntity AciSignedPreKey,
    SignedPreKeyEntity PniSignedPreKey,
    SignedPreKeyEntity AciPqLastResortPreKey,
    SignedPreKeyEntity PniPqLastResortPreKey)
{
    public bool SkipDeviceTransfer { get; init; } = true;
}

/// <summary>The new account: log in afterwards as <c>"{Uuid}.1"</c> with the password sent at registration.</summary>
public sealed record RegisterAccountResponse(string Uuid, string? Number, string? Pni, bool StorageCapable, bool Reregistration);

internal sealed record CreateSessionBody(string Number);

internal sealed record CaptchaBody(string Captcha);

internal sealed record RequestCodeBody(string Transport, string Client);

internal sealed record SubmitCodeBody(string Code);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(VerificationSession))]
[JsonSerializable(typeof(RegisterAccountRequest))]
[JsonSerializable(typeof(RegisterAccountResponse))]
[JsonSerializable(typeof(CreateSessionBody))]
[JsonSerializable(typeof(CaptchaBody))]
[JsonSerializable(typeof(RequestCodeBody))]
[JsonSerializable(typeof(SubmitCodeBody))]
internal sealed partial class RegistrationJsonContext : JsonSerializerContext;
