using System.Text.Json.Serialization;

namespace SignalSharp.Service.Api;

// Wire shapes of the chat service's JSON routes. Binary values are byte[] and travel as base64.

/// <summary>A one-time EC pre-key: the key id and the 33-byte public key.</summary>
public sealed record PreKeyEntity(uint KeyId, byte[] PublicKey);

/// <summary>A signed pre-key (EC signed pre-key, or a Kyber pre-key whose public key starts with 0x08).</summary>
public sealed record SignedPreKeyEntity(uint KeyId, byte[] PublicKey, byte[] Signature);

/// <summary>Body of <c>PUT /v2/keys[?identity=pni]</c>. Each upload replaces the server's one-time lists.</summary>
public sealed record PreKeyUpload
{
    /// <summary>Required by the server, may be empty.</summary>
    public IReadOnlyList<PreKeyEntity> PreKeys { get; init; } = [];

    public IReadOnlyList<SignedPreKeyEntity>? PqPreKeys { get; init; }

    public SignedPreKeyEntity? PqLastResortPreKey { get; init; }

    public SignedPreKeyEntity? SignedPreKey { get; init; }
}

/// <summary>Answer of <c>GET /v2/keys</c>: how many one-time keys the server still holds.</summary>
public sealed record PreKeyCounts(int Count, int PqCount);

/// <summary>One device's pre-key bundle. <see cref="PqPreKey"/> is a one-time Kyber key or else the last-resort key.</summary>
public sealed record DevicePreKeys(uint DeviceId, uint RegistrationId, SignedPreKeyEntity SignedPreKey, SignedPreKeyEntity PqPreKey, PreKeyEntity? PreKey);

/// <summary>Answer of <c>GET /v2/keys/{serviceId}/{deviceId|*}</c>.</summary>
public sealed record PreKeyBundles(byte[] IdentityKey, IReadOnlyList<DevicePreKeys> Devices);

/// <summary>One device's ciphertext in <c>PUT /v1/messages/{serviceId}</c>; <see cref="Type"/> is the envelope type.</summary>
public sealed record DeviceCiphertext(int Type, uint DestinationDeviceId, uint DestinationRegistrationId, byte[] Content);

public sealed record DeviceCiphertextList(IReadOnlyList<DeviceCiphertext> Messages, ulong Timestamp)
{
    public bool Online { get; init; }

    public bool Urgent { get; init; } = true;
}

public sealed record WhoAmI(string Uuid, string? Pni, string? Number);

public sealed record AccountCapabilities
{
    public bool AttachmentBackfill { get; init; } = true;

    public bool Spqr { get; init; } = true;

    public bool UsernameChangeSyncMessage { get; init; } = true;
}

/// <param name="PniRegistrationId">Null (left out) for an account without a PNI.</param>
public sealed record LinkedDeviceAttributes(uint RegistrationId, uint? PniRegistrationId, byte[] Name)
{
    public bool FetchesMessages { get; init; } = true;

    public AccountCapabilities Capabilities { get; init; } = new();
}

/// <summary>Body of <c>PUT /v1/devices/link</c>; the PNI keys are left out for an account without a PNI (the server refuses them then).</summary>
public sealed record LinkDeviceRequest(
    string VerificationCode,
    LinkedDeviceAttributes AccountAttributes,
    SignedPreKeyEntity AciSignedPreKey,
    SignedPreKeyEntity? PniSignedPreKey,
    SignedPreKeyEntity AciPqLastResortPreKey,
    SignedPreKeyEntity? PniPqLastResortPreKey);

public sealed record LinkDeviceResponse(uint DeviceId, string Uuid, string? Pni);

/// <summary>Credentials for the storage service (Basic auth), from <c>GET /v1/storage/auth</c>.</summary>
public sealed record StorageCredentials(string Username, string Password)
{
    public override string ToString() => $"StorageCredentials {{ Username = {Username} }}";
}

internal sealed record MismatchedDevicesBody(IReadOnlyList<uint>? MissingDevices, IReadOnlyList<uint>? ExtraDevices);

internal sealed record StaleDevicesBody(IReadOnlyList<uint>? StaleDevices);

internal sealed record ChallengeBody(string? Token, IReadOnlyList<string>? Options);

internal sealed record CertificateBody(byte[] Certificate);

internal sealed record ErrorBody(string? Error);

internal sealed record ChallengeAnswer(string Type, string Token, string Captcha);

internal sealed record MultiRecipientSentBody(IReadOnlyList<string>? Uuids404);

internal sealed record AccountDevicesBody(string? Uuid, DeviceListsBody? Devices);

internal sealed record DeviceListsBody(IReadOnlyList<uint>? MissingDevices, IReadOnlyList<uint>? ExtraDevices, IReadOnlyList<uint>? StaleDevices);

internal sealed record UploadFormBody(int Cdn, string? Key, Dictionary<string, string>? Headers, string? SignedUploadLocation);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(PreKeyUpload))]
[JsonSerializable(typeof(PreKeyCounts))]
[JsonSerializable(typeof(PreKeyBundles))]
[JsonSerializable(typeof(DeviceCiphertextList))]
[JsonSerializable(typeof(WhoAmI))]
[JsonSerializable(typeof(LinkDeviceRequest))]
[JsonSerializable(typeof(LinkDeviceResponse))]
[JsonSerializable(typeof(StorageCredentials))]
[JsonSerializable(typeof(MismatchedDevicesBody))]
[JsonSerializable(typeof(StaleDevicesBody))]
[JsonSerializable(typeof(ChallengeBody))]
[JsonSerializable(typeof(CertificateBody))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(UploadFormBody))]
[JsonSerializable(typeof(MultiRecipientSentBody))]
[JsonSerializable(typeof(ChallengeAnswer))]
[JsonSerializable(typeof(List<AccountDevicesBody>))]
[JsonSerializable(typeof(VersionedProfile))]
[JsonSerializable(typeof(ProfileWrite))]
[JsonSerializable(typeof(DeviceListBody))]
[JsonSerializable(typeof(DeviceNameBody))]
[JsonSerializable(typeof(ProvisioningCodeBody))]
[JsonSerializable(typeof(ProfileAvatarUploadForm))]
[JsonSerializable(typeof(ProvisioningMessageBody))]
[JsonSerializable(typeof(AccountAttributesWrite))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
