namespace SignalSharp.Account.Api;

/// <summary>
/// The base of every failure the account layer reports. The subclasses here that name a recipient or a group have
/// a status of their own at each front end; any other one is a plain failure with its message.
/// </summary>
public abstract class AccountException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The recipient (or a reaction's author) names no Signal user the account can reach (status 2).</summary>
public sealed class UnknownRecipientException(RecipientAddress recipient)
    : AccountException($"{recipient} is not a Signal user this account can reach")
{
    public RecipientAddress Recipient { get; } = recipient;
}

/// <summary>The group id names no group this account knows (status 6).</summary>
public sealed class GroupNotFoundException(GroupId groupId)
    : AccountException($"group {groupId} is not known to this account")
{
    public GroupId GroupId { get; } = groupId;
}

/// <summary>The account knows the group but is not (or no longer) a member of it (status 7).</summary>
public sealed class NotAGroupMemberException(GroupId groupId)
    : AccountException($"this account is not a member of group {groupId}")
{
    public GroupId GroupId { get; } = groupId;
}
