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
    /// <summary>Whether <paramref name="aci"/> is a full member (not only invited or requesting).</summary>
    public bool IsMember(Guid aci) => Members.Any(m => m.Aci == aci);
}

/// <summary>One full member. <paramref name="Role"/> is the group protocol's role number (1 default, 2 administrator).</summary>
public sealed record GroupMemberRecord(Guid Aci, int Role, byte[]? ProfileKey, uint JoinedAtRevision);
