namespace SignalSharp.Account.Api;

/// <summary>Who may do something in a group (signal-cli's <c>every-member</c> / <c>only-admins</c>).</summary>
public enum GroupPermission
{
    EveryMember,
    OnlyAdmins,
}

/// <summary>The group's invite link (signal-cli's <c>--link</c>): off, on, or on with an administrator's approval.</summary>
public enum GroupLinkState
{
    Disabled,
    Enabled,
    EnabledWithApproval,
}

/// <summary>
/// What to create or change in a group, as signal-cli's <c>updateGroup</c> takes it; whatever is null or empty stays
/// as it is. On creation, <see cref="Name"/> is required and <see cref="AddMembers"/> are the first members.
/// </summary>
public sealed record GroupChangeRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The disappearing-messages timer in seconds (0: off).</summary>
    public int? ExpirationSeconds { get; init; }

    public IReadOnlyList<RecipientAddress> AddMembers { get; init; } = [];

    public IReadOnlyList<RecipientAddress> RemoveMembers { get; init; } = [];

    public IReadOnlyList<RecipientAddress> AddAdmins { get; init; } = [];

    public IReadOnlyList<RecipientAddress> RemoveAdmins { get; init; } = [];

    public GroupPermission? AddMembersPermission { get; init; }

    public GroupPermission? EditDetailsPermission { get; init; }

    /// <summary>Who may send: <see cref="GroupPermission.OnlyAdmins"/> makes it an announcement group.</summary>
    public GroupPermission? SendMessagesPermission { get; init; }

    public GroupLinkState? Link { get; init; }

    /// <summary>A new invite link (the old one stops working).</summary>
    public bool ResetLink { get; init; }

    /// <summary>An image file to make the group's avatar (up to 10 MiB).</summary>
    public string? AvatarPath { get; init; }
}

/// <summary>
/// A group created or changed: its id, the revision the group server now holds, and the timestamp of the message that
/// told the members (0 when nothing changed and so nothing was sent), with whom it reached.
/// </summary>
public sealed record GroupChangeResult(GroupId GroupId, uint Revision, long Timestamp, IReadOnlyList<RecipientSendResult> Results);

/// <summary>The group server refused a group change (not allowed, or a request it cannot carry out).</summary>
public sealed class GroupChangeFailedException(string reason, Exception? inner = null)
    : AccountException("the group change failed: " + reason, inner);

/// <summary>A group invite link that is not one (not a signal.group link, damaged, or of an unknown version).</summary>
public sealed class InvalidGroupLinkException(string reason, Exception? inner = null) : AccountException("Group link is invalid: " + reason, inner);

/// <summary>A well-formed invite link the group server no longer honours (the link was turned off or reset, or the account is banned).</summary>
public sealed class InactiveGroupLinkException(string reason, Exception? inner = null) : AccountException("Group link is not valid: " + reason, inner);

/// <summary>The account already asked to join the group by its link and waits for an administrator.</summary>
public sealed class PendingAdminApprovalException(GroupId groupId)
    : AccountException($"Pending admin approval: the request to join group {groupId} waits for an administrator")
{
    public GroupId GroupId { get; } = groupId;
}

/// <summary>
/// joinGroup's outcome: the group, the revision the join made, and the message that told the members (timestamp 0 and
/// no results when <see cref="OnlyRequested"/>: the account asked to join and waits for an administrator's approval).
/// </summary>
public sealed record GroupJoinResult(GroupId GroupId, uint Revision, long Timestamp, IReadOnlyList<RecipientSendResult> Results, bool OnlyRequested);

/// <summary>
/// One thing a group change did. <see cref="Kind"/>: member-added, member-joined-by-link, member-removed, member-left,
/// member-invited, invitation-accepted, invitation-declined, invitation-revoked, join-requested, join-request-approved,
/// join-request-denied, join-request-cancelled, member-banned, member-unbanned, admin-added, admin-removed, title,
/// description, expiration, avatar, permission-add-member, permission-edit-details, permission-send-messages,
/// invite-link, invite-link-reset, terminated. <see cref="Member"/> is whom it concerns (number when known, else
/// service id); <see cref="Value"/> the new value (a name, seconds, every-member/only-admins, enabled/…/disabled).
/// </summary>
public sealed record GroupChangeDetail(string Kind, string? Member, string? MemberServiceId, string? Value);

/// <summary>A group changed: applied from the group's change log at <see cref="Revision"/>, made by <see cref="Author"/>.</summary>
public sealed record ReceivedGroupChange(long Timestamp, string Author, string? AuthorServiceId, GroupId GroupId, uint Revision, string? GroupName,
    IReadOnlyList<GroupChangeDetail> Changes) : ReceivedItem;

/// <summary>An avatar image that cannot be used: missing, unreadable, empty or too large (signal-cli's user error).</summary>
public sealed class InvalidAvatarException(string reason) : AccountException(reason);
