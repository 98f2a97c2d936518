using System.Text.Json.Serialization;

namespace SignalSharp.JsonRpc.Json;

/// <summary>One group of listGroups, in signal-cli's member order; unknown settings are null, never guessed.</summary>
public sealed record JsonGroup(
    string Id,
    string? Name,
    string? Description,
    bool IsMember,
    bool IsBlocked,
    int MessageExpirationTime,
    IReadOnlyList<JsonGroupMember> Members,
    IReadOnlyList<JsonGroupMemberAddress> PendingMembers,
    IReadOnlyList<JsonGroupMemberAddress> RequestingMembers,
    IReadOnlyList<JsonGroupMemberAddress> Admins,
    IReadOnlyList<JsonGroupMemberAddress> Banned,
    string? PermissionAddMember,
    string? PermissionEditDetails,
    string? PermissionSendMessage,
    string? GroupInviteLink);

public sealed record JsonGroupMember(string? Number, string? Uuid, bool IsAdmin);

public sealed record JsonGroupMemberAddress(string? Number, string? Uuid);

/// <summary>One contact of listContacts (signal-cli's JsonContact without the fields SignalSharp does not keep, written as null).</summary>
public sealed record JsonContact(
    string? Number,
    string? Uuid,
    string? Username,
    string? Name,
    string? GivenName,
    string? FamilyName,
    string? NickName,
    string? NickGivenName,
    string? NickFamilyName,
    string? Note,
    string? Color,
    bool IsArchived,
    bool IsBlocked,
    bool IsHidden,
    int MessageExpirationTime,
    bool ProfileSharing,
    bool Unregistered,
    JsonContactProfile? Profile);

public sealed record JsonContactProfile(
    long LastUpdateTimestamp,
    string? GivenName,
    string? FamilyName,
    string? About,
    string? AboutEmoji,
    bool HasAvatar,
    string? MobileCoinAddress);

/// <summary>One identity of listIdentities.</summary>
public sealed record JsonIdentity(
    string? Number,
    string? Uuid,
    string? Fingerprint,
    string SafetyNumber,
    string? ScannableSafetyNumber,
    string TrustLevel,
    long AddedTimestamp);

/// <summary>
/// One pack of listStickerPacks in signal-cli's shape: a pack known only from a received sticker has an empty title
/// and author and no stickers until its manifest is fetched.
/// </summary>
public sealed record JsonStickerPack(
    string PackId,
    string Url,
    bool Installed,
    string Title,
    string Author,
    JsonPackSticker? Cover,
    IReadOnlyList<JsonPackSticker> Stickers);

public sealed record JsonPackSticker(int Id, string? Emoji, string? ContentType);

/// <summary>Listings keep null members, as signal-cli's records are written.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<JsonGroup>))]
[JsonSerializable(typeof(List<JsonContact>))]
[JsonSerializable(typeof(List<JsonIdentity>))]
[JsonSerializable(typeof(List<JsonStickerPack>))]
internal sealed partial class ListingJsonContext : JsonSerializerContext;
