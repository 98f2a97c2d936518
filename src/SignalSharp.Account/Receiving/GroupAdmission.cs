using SignalSharp.Account.Proto;
using SignalSharp.Store;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// Whether a message labelled with a group may be handed out as that group's message: the group must be one the
/// account knows and is a member of, and the sender a full member of it. Knowing the master key proves nothing (a
/// removed member keeps it). The stored state judges when it is at least at the message's revision; otherwise
/// (an unknown group, or a message announcing a newer revision, as a group change does) the caller must first
/// fetch the group's state and try again. The sender of content that reaches this check was authenticated by a
/// session, so fetching a group whose key they gave us is safe: the group server answers only for members.
/// </summary>
internal static class GroupAdmission
{
    /// <summary>
    /// Null when <paramref name="sender"/> may post into the group of <paramref name="context"/>, else why not.
    /// Throws <see cref="GroupStateNeededException"/> when the stored state is missing or older than the message
    /// and <paramref name="refreshed"/> says no fetch was tried for this envelope yet.
    /// </summary>
    public static async Task<string?> RejectionAsync(AccountTransaction tx, GroupContextV2 context, byte[] groupId, Guid sender, Guid ownAci, bool refreshed,
        CancellationToken cancellationToken)
    {
        var stored = await tx.Groups.GetAsync(groupId, cancellationToken).ConfigureAwait(false);
        var revision = context.HasRevision ? context.Revision : 0;
        if (!refreshed && (stored is null || stored.Revision < revision))
        {
            throw new GroupStateNeededException(context.MasterKey.ToByteArray(), revision);
        }

        if (stored is null)
        {
            return "the group is unknown to this account";
        }

        if (!stored.IsMember(ownAci))
        {
            return "this account is not a member of the group";
        }

        return stored.IsMember(sender) ? null : $"the sender is not a member at revision {stored.Revision}";
    }
}

/// <summary>The stored state of a message's group cannot judge it: fetch the group, then process the envelope again.</summary>
internal sealed class GroupStateNeededException(byte[] masterKey, uint revision)
    : Exception("the group's state must be fetched before its message can be judged")
{
    public byte[] MasterKey { get; } = masterKey;

    public uint Revision { get; } = revision;
}
