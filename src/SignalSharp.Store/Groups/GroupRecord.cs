namespace SignalSharp.Store.Groups;

/// <summary>
/// What the account knows of one groups-v2 group: its 32-byte identifier, master key, the revision of the
/// state last decrypted, and the membership as of that revision. <paramref name="EndorsementsResponse"/> keeps
/// the server's group send endorsements response for sealed group sends (null when none was fetched).
/// </summary>
public sealed record GroupRecord(
    byte[] GroupId,
    byte[] MasterKey,
    uint Revision,
    string? Title,
    IReadOnlyList<GroupMemberRecord> Members,
    IReadOnlyList<Guid> PendingMembers,
    IReadOnlyList<Guid> RequestingMembers,
    bool IsAnnouncementOnly,
    byte[]? EndorsementsResponse,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The group's description (null when it has none).</summary>
    public string? Description { get; init; }

    /// <summary>The disappearing-messages timer in seconds (0: off).</summary>
    public uint ExpirationSeconds { get; init; }

    /// <summary>Who may edit the title, description, avatar and timer: the group protocol's access level (2 members, 3 administrators; 0 unknown).</summary>
    public uint AttributesAccess { get; init; }

    /// <summary>Who may add members (an access level).</summary>
    public uint MembersAccess { get; init; }

    /// <summary>Who may join by the invite link: 1 anyone with it, 3 after an administrator's approval, 4 (or 0) nobody.</summary>
    public uint InviteLinkAccess { get; init; }

    /// <summary>The invite link's password, or null when the group never had a link.</summary>
    public byte[]? InviteLinkPassword { get; init; }

    /// <summary>Service ids banned from joining by the invite link.</summary>
    public IReadOnlyList<Guid> BannedMembers { get; init; } = [];

    /// <summary>Whether <paramref name="aci"/> is a full member (not only invited or requesting).</summary>
    public bool IsMember(Guid aci) => Members.Any(m => m.Aci == aci);
}

/// <summary>One full member. <paramref name="Role"/> is the group protocol's role number (1 default, 2 administrator).</summary>
public sealed record GroupMemberRecord(Guid Aci, int Role, byte[]? ProfileKey, uint JoinedAtRevision);
