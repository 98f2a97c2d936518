namespace SignalSharp.Account.Api;

/// <summary>Someone named in a listing: their phone number when known, and their service id (ACI).</summary>
public sealed record MemberAddress(string? Number, string ServiceId);

/// <summary>A full member of a group; <see cref="IsAdmin"/> for an administrator.</summary>
public sealed record GroupMember(string? Number, string ServiceId, bool IsAdmin);

/// <summary>
/// A group as the account last decrypted it (or applied from its change log). <see cref="SendOnlyAdmins"/> is the
/// group's "only admins send" setting; a permission the account never learned (a group stored before it kept them)
/// is null rather than guessed.
/// </summary>
public sealed record GroupSummary(
    GroupId Id,
    string? Title,
    uint Revision,
    bool IsMember,
    bool SendOnlyAdmins,
    IReadOnlyList<GroupMember> Members,
    IReadOnlyList<MemberAddress> PendingMembers,
    IReadOnlyList<MemberAddress> RequestingMembers)
{
    public string? Description { get; init; }

    /// <summary>The disappearing-messages timer in seconds (0: off).</summary>
    public uint ExpirationSeconds { get; init; }

    /// <summary>Whether the account blocked the group.</summary>
    public bool IsBlocked { get; init; }

    /// <summary>Who may add members; null when unknown.</summary>
    public GroupPermission? AddMemberPermission { get; init; }

    /// <summary>Who may edit the name, description, avatar and timer; null when unknown.</summary>
    public GroupPermission? EditDetailsPermission { get; init; }

    /// <summary>The invite link (https://signal.group/#...) while the link is on; null when off.</summary>
    public string? InviteLink { get; init; }

    /// <summary>Whether joining by the link needs an administrator's approval (when <see cref="InviteLink"/> is set).</summary>
    public bool InviteLinkNeedsApproval { get; init; }

    public IReadOnlyList<MemberAddress> BannedMembers { get; init; } = [];
}

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
