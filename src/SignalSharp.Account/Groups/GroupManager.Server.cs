using SignalSharp.Service.Groups;
using SignalSharp.Store.Groups;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Groups;

/// <summary>What group management (<see cref="Management.GroupAdministration"/>) borrows from the manager: the group server, credentials, the store path.</summary>
internal sealed partial class GroupManager
{
    internal GroupServerClient Server => groupServer;

    internal ServerPublicParams ServerParams => serverParams.Value;

    /// <summary>Group avatars up to and down from CDN 0.</summary>
    internal GroupAvatars Avatars => avatars;

    /// <summary>
    /// Serializes everything that reads or writes a group's stored state (fetches, applied changes, our own changes),
    /// so a change built on a revision is stored before the next one is built.
    /// </summary>
    internal SemaphoreSlim StateGate => fetchGate;

    /// <summary>A fresh auth credential presentation for one request to the group server about <paramref name="secretParams"/>'s group.</summary>
    internal async Task<byte[]> PresentAuthAsync(GroupSecretParams secretParams, CancellationToken cancellationToken)
    {
        var credential = await credentials.Value.GetTodayAsync(DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        return credential.Present(serverParams.Value, secretParams);
    }

    /// <summary>Stores a decrypted state (and the members' profile keys); the caller holds <see cref="StateGate"/>.</summary>
    internal Task<GroupRecord> StoreStateAsync(GroupState state, CancellationToken cancellationToken) => SaveAsync(state, cancellationToken);

    /// <summary>The group brought up to date from its change log and stored with one item per change; null when the log could not be used.</summary>
    /// A log that does not reach <paramref name="knownRevision"/> (the server says less than the context claimed) settles nothing.
    private async Task<GroupRecord?> FollowLogAsync(GroupRecord stored, uint? knownRevision, CancellationToken cancellationToken)
    {
        try
        {
            var followed = await new GroupLogFollower(this, logger).FollowAsync(stored, cancellationToken).ConfigureAwait(false);
            return followed is { } f && f.State.Revision >= (knownRevision ?? 0) && f.State.Revision > stored.Revision
                ? await SaveAsync(f.State, cancellationToken, f.Items).ConfigureAwait(false)
                : null;
        }
        catch (Exception e) when (e is GroupStateDecryptionException or Google.Protobuf.InvalidProtocolBufferException or ZkGroupException)
        {
            AccountLog.GroupRefreshFailed(logger, Convert.ToBase64String(stored.GroupId), stored.Revision, e.GetType().Name);
            return null;
        }
    }
}
