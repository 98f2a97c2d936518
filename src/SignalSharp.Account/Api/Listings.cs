namespace SignalSharp.Account.Api;

/// <summary>Someone named in a listing: their phone number when known, and their service id (ACI).</summary>
public sealed record MemberAddress(string? Number, string ServiceId);

/// <summary>A full member of a group; <see cref="IsAdmin"/> for an administrator.</summary>
public sealed record GroupMember(string? Number, string ServiceId, bool IsAdmin);

/// <summary>
/// A group as the account last decrypted it. <see cref="SendOnlyAdmins"/> is the group's "only admins send" setting;
/// what is not stored (description, other permissions, invite link) is not pretended.
/// </summary>
public sealed record GroupSummary(
    GroupId Id,
    string? Title,
    uint Revision,
    bool IsMember,
    bool SendOnlyAdmins,
    IReadOnlyList<GroupMember> Members,
    IReadOnlyList<MemberAddress> PendingMembers,
    IReadOnlyList<MemberAddress> RequestingMembers);

/// <summary>An entry of the contact list the primary device shared, with the profile name the account learned.</summary>
public sealed record ContactSummary(
    string? Number,
    string? ServiceId,
    string? Name,
    string? ProfileGivenName,
    string? ProfileFamilyName,
    string? Color,
    uint ExpirationTimerSeconds,
    bool Blocked,
    bool Archived)
{
    /// <summary>The rest of their profile, when it was fetched.</summary>
    public ContactProfile? Profile { get; init; }
}

/// <summary>A contact's profile beyond the names: about text, its emoji, whether it has an avatar, when it was fetched.</summary>
public sealed record ContactProfile(string? About, string? AboutEmoji, bool HasAvatar, DateTimeOffset FetchedAt);
