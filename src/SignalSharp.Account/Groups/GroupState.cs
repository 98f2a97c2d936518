using SignalSharp.Store.Groups;

namespace SignalSharp.Account.Groups;

/// <summary>A full member: ACI, role (1 default, 2 administrator), profile key, the revision it joined at.</summary>
internal sealed record GroupMemberState(Guid Aci, int Role, byte[]? ProfileKey, uint JoinedAtRevision);

/// <summary>An invited member (no profile key yet); <paramref name="IsPni"/> when invited by phone number identity.</summary>
internal sealed record PendingGroupMember(Guid Uuid, bool IsPni, int Role, Guid? AddedBy);

/// <summary>Someone who asked to join through an invite link and waits for an administrator.</summary>
internal sealed record RequestingGroupMember(Guid Aci, byte[]? ProfileKey);

/// <summary>
/// One revision of a groups-v2 group as its members see it: decrypted from the group server's state with the
/// group's master key. <see cref="EndorsementsResponse"/> is the server's group send endorsements response, kept
/// undecoded for sealed group sends.
/// </summary>
internal sealed record GroupState(
    byte[] GroupId,
    byte[] MasterKey,
    uint Revision,
    string? Title,
    string? Description,
    uint? DisappearingMessagesSeconds,
    IReadOnlyList<GroupMemberState> Members,
    IReadOnlyList<PendingGroupMember> Pending,
    IReadOnlyList<RequestingGroupMember> Requesting,
    IReadOnlyList<Guid> Banned,
    bool AnnouncementsOnly,
    bool Terminated,
    byte[]? EndorsementsResponse)
{
    public const int RoleDefault = 1;
    public const int RoleAdministrator = 2;

    /// <summary>Who may edit the title, description, avatar and timer (an access level: 2 members, 3 administrators).</summary>
    public uint AttributesAccess { get; init; }

    /// <summary>Who may add members (an access level).</summary>
    public uint MembersAccess { get; init; }

    /// <summary>Who may join by the invite link: 1 anyone with the link, 3 after an administrator's approval, 4 (or 0) nobody.</summary>
    public uint AddFromInviteLinkAccess { get; init; }

    /// <summary>The avatar's CDN 0 path (the image is encrypted as a group attribute blob); null when the group has none.</summary>
    public string? AvatarKey { get; init; }

    /// <summary>The invite link's password (16 bytes), or null when the group never had a link.</summary>
    public byte[]? InviteLinkPassword { get; init; }

    public GroupMemberState? Member(Guid aci) => Members.FirstOrDefault(m => m.Aci == aci);

    /// <summary>The store's shape (groups-msg reads it from there).</summary>
    public GroupRecord ToRecord(DateTimeOffset updatedAt) => new(
        GroupId,
        MasterKey,
        Revision,
        Title,
        [.. Members.Select(m => new GroupMemberRecord(m.Aci, m.Role, m.ProfileKey, m.JoinedAtRevision))],
        [.. Pending.Select(p => p.Uuid)],
        [.. Requesting.Select(r => r.Aci)],
        AnnouncementsOnly,
        EndorsementsResponse,
        updatedAt)
    {
        Description = Description,
        ExpirationSeconds = DisappearingMessagesSeconds ?? 0,
        AttributesAccess = AttributesAccess,
        MembersAccess = MembersAccess,
        InviteLinkAccess = AddFromInviteLinkAccess,
        InviteLinkPassword = InviteLinkPassword,
        BannedMembers = Banned,
    };

    public override string ToString() =>
        $"GroupState {{ GroupId = {Convert.ToBase64String(GroupId)}, Revision = {Revision}, Members = {Members.Count}, Pending = {Pending.Count} }}";
}
