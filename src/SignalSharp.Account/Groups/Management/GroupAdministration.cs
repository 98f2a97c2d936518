using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Service.Groups;
using SignalSharp.Store;

namespace SignalSharp.Account.Groups.Management;

/// <summary>
/// Running groups from the account (signal-cli's updateGroup, quitGroup, joinGroup): each request becomes a group
/// created or changed on the group server, stored as the server signed it, and announced to the members.
/// </summary>
internal sealed class GroupAdministration
{
    private readonly Func<RecipientAddress, CancellationToken, Task<Guid>> resolve;
    private readonly GroupAnnouncer announce;
    private readonly GroupCreator creator;
    private readonly GroupUpdater updater;
    private readonly GroupJoiner joiner;
    private readonly Guid self;
    private readonly MemberPresentations presentations;
    private readonly AccountDatabase db;
    private readonly ILogger logger;

    /// <summary>
    /// Told the master key of each group the account created or joined (not asked to join), after the members were:
    /// the storage service lists it for the account's other devices.
    /// </summary>
    public Func<byte[], CancellationToken, Task> Joined { get; init; } = (_, _) => Task.CompletedTask;

    public GroupAdministration(GroupManager groups, ProfileKeyCredentialApi credentialApi, Func<RecipientAddress, CancellationToken, Task<Guid>> resolve,
        GroupAnnouncer announce, AccountDatabase db, AccountRecord record, ILogger logger)
    {
        this.resolve = resolve;
        this.announce = announce;
        presentations = new MemberPresentations(credentialApi, () => groups.ServerParams, TimeProvider.System);
        this.db = db;
        this.logger = logger;
        creator = new GroupCreator(db, record, groups, presentations, logger);
        updater = new GroupUpdater(db, groups, creator.PresentationOfAsync, record.Aci, logger);
        joiner = new GroupJoiner(db, record, groups, presentations, logger);
        self = record.Aci;
    }

    /// <summary>Creates a group with <see cref="GroupChangeRequest.Name"/>, the members to add, description and timer, and tells the members.</summary>
    public async Task<GroupChangeResult> CreateAsync(GroupChangeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new GroupChangeFailedException("a new group needs a name");
        }

        var members = await ResolveAsync(request.AddMembers, cancellationToken).ConfigureAwait(false);
        var avatar = request.AvatarPath is { } path ? await Avatars.AvatarFiles.ReadImageAsync(path, Avatars.AvatarFiles.MaxGroupImageBytes, cancellationToken).ConfigureAwait(false) : null;

        var created = await creator.CreateAsync(request.Name, members, request.Description, (uint)Math.Max(0, request.ExpirationSeconds ?? 0), cancellationToken, avatar)
            .ConfigureAwait(false);
        var (timestamp, results) = await announce(created, null, [], cancellationToken).ConfigureAwait(false);
        await Joined(created.MasterKey, cancellationToken).ConfigureAwait(false);
        return new GroupChangeResult(new GroupId(created.GroupId), created.Revision, timestamp, results);
    }

    /// <summary>Changes the group as asked and tells its members (and members it removed); nothing is sent when nothing changed.</summary>
    public async Task<GroupChangeResult> UpdateAsync(GroupId groupId, GroupChangeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var change = new ResolvedGroupChange(request, await ResolveAsync(request.AddMembers, cancellationToken).ConfigureAwait(false),
            await ResolveAsync(request.RemoveMembers, cancellationToken).ConfigureAwait(false), await ResolveAsync(request.AddAdmins, cancellationToken).ConfigureAwait(false),
            await ResolveAsync(request.RemoveAdmins, cancellationToken).ConfigureAwait(false))
        {
            AvatarImage = request.AvatarPath is { } path ? await Avatars.AvatarFiles.ReadImageAsync(path, Avatars.AvatarFiles.MaxGroupImageBytes, cancellationToken).ConfigureAwait(false) : null,
        };
        var (group, signedChange, removed) = await ServerFailuresAsync(() => updater.ChangeAsync(groupId, change, cancellationToken)).ConfigureAwait(false);
        if (signedChange is null)
        {
            return new GroupChangeResult(groupId, group.Revision, 0, []);
        }

        var (timestamp, results) = await announce(group, signedChange, removed, cancellationToken).ConfigureAwait(false);
        return new GroupChangeResult(groupId, group.Revision, timestamp, results);
    }

    /// <summary>Leaves the group, handing administration to <paramref name="newAdmins"/> first when the account is its last administrator.</summary>
    public async Task<GroupChangeResult> QuitAsync(GroupId groupId, IReadOnlyList<RecipientAddress> newAdmins, CancellationToken cancellationToken)
    {
        var change = new ResolvedGroupChange(new GroupChangeRequest(), [], [self], await ResolveAsync(newAdmins, cancellationToken).ConfigureAwait(false), []);
        var (group, signedChange, _) = await ServerFailuresAsync(() => updater.ChangeAsync(groupId, change, cancellationToken)).ConfigureAwait(false);
        var (timestamp, results) = signedChange is null ? (0L, (IReadOnlyList<RecipientSendResult>)[]) : await announce(group, signedChange, [], cancellationToken).ConfigureAwait(false);
        return new GroupChangeResult(groupId, group.Revision, timestamp, results);
    }

    /// <summary>Joins by an invite link; a join (not a request) is announced to the members with the signed change, as Signal's apps do.</summary>
    public async Task<GroupJoinResult> JoinAsync(string inviteLink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inviteLink);
        var (group, signedChange, requested) = await ServerFailuresAsync(() => joiner.JoinAsync(inviteLink, cancellationToken)).ConfigureAwait(false);
        var (timestamp, results) = signedChange is null || requested
            ? (0L, (IReadOnlyList<RecipientSendResult>)[])
            : await announce(group, signedChange, [], cancellationToken).ConfigureAwait(false);
        if (!requested)
        {
            await Joined(group.MasterKey, cancellationToken).ConfigureAwait(false);
        }

        return new GroupJoinResult(new GroupId(group.GroupId), group.Revision, timestamp, results, requested);
    }

    /// <summary>
    /// After a profile key rotation: every group the account is a member of records the new key (ModifyMemberProfileKey
    /// with our presentation for it) and its members are told, as Signal's apps do. A group that refuses is logged and
    /// skipped (it keeps the old key until a later change); the number of groups changed.
    /// </summary>
    public async Task<int> OwnProfileKeyChangedAsync(byte[] profileKey, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var stored in await db.Groups.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!stored.IsMember(self))
            {
                continue;
            }

            var groupId = new GroupId(stored.GroupId);
            var change = new ResolvedGroupChange(new GroupChangeRequest(), [], [], [], [])
            {
                OwnProfileKey = profileKey,
                PresentOwnProfileKey = (secretParams, ct) => presentations.PresentAsync(self, profileKey, secretParams, ct),
            };
            try
            {
                var (group, signedChange, _) = await ServerFailuresAsync(() => updater.ChangeAsync(groupId, change, cancellationToken)).ConfigureAwait(false);
                if (signedChange is not null)
                {
                    await announce(group, signedChange, [], cancellationToken).ConfigureAwait(false);
                    Profiles.ProfileLog.GroupKeyChanged(logger, groupId.ToBase64(), group.Revision);
                    changed++;
                }
            }
            catch (Exception e) when (e is AccountException or ProfileCredentialUnavailableException or Service.ServiceException)
            {
                Profiles.ProfileLog.GroupKeyChangeFailed(logger, groupId.ToBase64(), e.GetType().Name);
            }
        }

        return changed;
    }

    private async Task<IReadOnlyList<Guid>> ResolveAsync(IReadOnlyList<RecipientAddress> addresses, CancellationToken cancellationToken)
    {
        var acis = new List<Guid>(addresses.Count);
        foreach (var address in addresses)
        {
            acis.Add(await resolve(address, cancellationToken).ConfigureAwait(false));
        }

        return acis;
    }

    /// <summary>The group server's refusals (a change not allowed, a malformed answer) become the account's own failure.</summary>
    private static async Task<T> ServerFailuresAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is Service.ServiceException and not Service.ServiceConnectionException and not Service.ServiceAuthenticationException
            || e is GroupStateDecryptionException or ZkGroup.ZkGroupException or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw new GroupChangeFailedException(e.Message, e);
        }
    }
}
