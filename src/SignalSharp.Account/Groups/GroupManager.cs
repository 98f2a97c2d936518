using SignalSharp.Account.Api;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Storage;
using SignalSharp.Account.StorageService;
using SignalSharp.Service;
using SignalSharp.Service.Api;
using SignalSharp.Service.Groups;
using SignalSharp.Service.Http;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Storage;
using SignalSharp.Store;
using SignalSharp.Store.Groups;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Auth;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Groups;

/// <summary>
/// How the account learns its groups and their state: from the phone's storage service (at start, and when the
/// phone says storage changed) and from group contexts on incoming messages (an unknown master key or a newer
/// revision). A group's state is fetched whole from the group server with today's auth credential presentation,
/// decrypted, and stored (<see cref="AccountDatabase.Groups"/>), and members' profile keys go to the recipients
/// so that sends to them can be sealed. Work triggered by messages runs on one background worker, never on the
/// receive loop.
/// </summary>
internal sealed partial class GroupManager : IAsyncDisposable
{
    private readonly AccountDatabase db;
    private readonly AccountRecord record;
    private readonly ChatApi chat;
    private readonly StorageSync storage;
    private readonly GroupServerClient groupServer;
    private readonly Lazy<ServerPublicParams> serverParams;
    private readonly Lazy<GroupAuthCredentialCache> credentials;
    private readonly ILogger logger;
    private readonly SemaphoreSlim fetchGate = new(1, 1);
    private readonly GroupWorkQueue work;
    private readonly GroupAvatars avatars;
    private int groupFetches;

    /// <param name="http">The account's HTTP client for the group and storage servers; its owner disposes it.</param>
    public GroupManager(AccountDatabase db, AccountRecord record, ServerProfile profile, ChatApi chat, ServiceHttpClient http, ILogger logger)
    {
        this.db = db;
        this.record = record;
        this.chat = chat;
        this.logger = logger;
        work = new GroupWorkQueue(logger);
        groupServer = new GroupServerClient(http);
        avatars = new GroupAvatars(db, http, new Avatars.AvatarFiles(db.DirectoryPath), logger);
        GroupServerGet = groupServer.GetGroupAsync;
        // Parsed on first use: an account that never meets a group never needs the server's zkgroup params.
        serverParams = new(() => ServerPublicParams.Deserialize(profile.ZkGroupServerPublicParams));
        storage = new StorageSync(db, record, chat, new StorageServiceClient(http), RefreshAsync, logger);
        credentials = new(() => new GroupAuthCredentialCache(db, new GroupCredentialsApi(chat.Connection), serverParams.Value, record.Aci, record.Pni, record.AuthCredentialSalt));
    }

    /// <summary>Group states fetched from the group server so far.</summary>
    public int GroupFetches => Volatile.Read(ref groupFetches);

    /// <summary>Storage manifests read (new versions only).</summary>
    public int StorageSyncs => storage.Syncs;

    /// <summary>Times the auth credentials came from the server rather than the cache.</summary>
    public int CredentialFetches => credentials.IsValueCreated ? credentials.Value.ServerFetches : 0;

    /// <summary>
    /// Replaces the group server's <c>GET /v2/groups</c> (public params, presentation → response bytes): for tests of
    /// answers a server cannot be made to give, such as a 403 for a group the account was removed from.
    /// </summary>
    internal Func<byte[], byte[], CancellationToken, Task<byte[]>> GroupServerGet { get; set; }

    /// <summary>Starts the background worker and queues a storage sync (so a freshly linked account learns its groups).</summary>
    public void Start(CancellationToken stopping)
    {
        work.Start(stopping);
        QueueStorageSync();
    }

    public void QueueStorageSync() => work.Post(SyncFromStorageAsync);

    /// <summary>Queues a fetch when <paramref name="masterKey"/> is unknown or stored at a revision below <paramref name="revision"/>.</summary>
    public void QueueFetch(byte[] masterKey, uint? revision) => work.Post(async ct => await GetOrFetchAsync(masterKey, revision, ct).ConfigureAwait(false));

    /// <summary>
    /// The group for <paramref name="masterKey"/>: the stored one when it is at <paramref name="knownRevision"/> or
    /// newer (any stored revision when null), otherwise fetched from the group server, stored and returned. Null
    /// when the group server does not know the group or does not let this account read it.
    /// </summary>
    public async Task<GroupRecord?> GetOrFetchAsync(byte[] masterKey, uint? knownRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        var secretParams = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(masterKey));
        var groupId = secretParams.GroupIdentifier.ToArray();
        var stored = await db.Groups.GetAsync(groupId, cancellationToken).ConfigureAwait(false);
        if (IsCurrent(stored, knownRevision))
        {
            return stored;
        }

        await fetchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have fetched it while this one waited.
            stored = await db.Groups.GetAsync(groupId, cancellationToken).ConfigureAwait(false);
            if (IsCurrent(stored, knownRevision))
            {
                return stored;
            }

            // A group we are in follows the server revision by revision through its change log (one item per change).
            if (stored is not null && stored.IsMember(record.Aci) && await FollowLogAsync(stored, knownRevision, cancellationToken).ConfigureAwait(false) is { } followed)
            {
                return followed;
            }

            var (state, denied) = await FetchStateAsync(secretParams, cancellationToken).ConfigureAwait(false);
            if (state is not null)
            {
                return await SaveAsync(state, cancellationToken).ConfigureAwait(false);
            }

            return denied && stored is not null ? await MarkNotMemberAsync(stored, cancellationToken).ConfigureAwait(false) : stored;
        }
        catch (Exception e) when (stored is not null && e is ServiceException or AccountException or ZkGroupException)
        {
            AccountLog.GroupRefreshFailed(logger, Convert.ToBase64String(groupId), stored.Revision, e.GetType().Name);
            return stored;
        }
        finally
        {
            fetchGate.Release();
        }
    }

    /// <summary>
    /// Reads the storage service when its manifest changed since the last read, and fetches every group it lists;
    /// contacts' profile keys from it go to the recipients.
    /// </summary>
    public Task SyncFromStorageAsync(CancellationToken cancellationToken) => storage.SyncAsync(cancellationToken);

    /// <summary>Fetches and stores the group's current state (or marks the account no longer a member of it).</summary>
    internal async Task RefreshAsync(byte[] masterKey, CancellationToken cancellationToken)
    {
        await fetchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var secretParams = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(masterKey));
            var (state, denied) = await FetchStateAsync(secretParams, cancellationToken).ConfigureAwait(false);
            if (state is not null)
            {
                await SaveAsync(state, cancellationToken).ConfigureAwait(false);
            }
            else if (denied && await db.Groups.GetAsync(secretParams.GroupIdentifier.ToArray(), cancellationToken).ConfigureAwait(false) is { } stored)
            {
                await MarkNotMemberAsync(stored, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            fetchGate.Release();
        }
    }

    /// <summary>
    /// The decrypted current state; no state when the server has no such group, or refuses this account
    /// (<c>Denied</c>: a 403 even with fresh credentials, i.e. the account is not, or no longer, a member).
    /// </summary>
    private async Task<(GroupState? State, bool Denied)> FetchStateAsync(GroupSecretParams secretParams, CancellationToken cancellationToken)
    {
        var publicParams = secretParams.PublicParams.Serialize();
        for (var attempt = 0; ; attempt++)
        {
            var credential = await credentials.Value.GetTodayAsync(DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            try
            {
                var response = await GroupServerGet(publicParams, credential.Present(serverParams.Value, secretParams), cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref groupFetches);
                var state = GroupStateDecryptor.DecryptResponse(secretParams, response);
                AccountLog.GroupFetched(logger, Convert.ToBase64String(state.GroupId), state.Revision, state.Members.Count, state.Pending.Count);
                return (state, false);
            }
            catch (GroupAccessDeniedException) when (attempt == 0)
            {
                // A refused presentation may come from a stale credential: start again from fresh ones, once.
                await credentials.Value.ClearAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (GroupAccessDeniedException e)
            {
                AccountLog.GroupRefused(logger, Convert.ToBase64String(secretParams.GroupIdentifier), e.GetType().Name);
                return (null, true);
            }
            catch (GroupNotFoundOnServerException)
            {
                AccountLog.GroupUnknownOnServer(logger, Convert.ToBase64String(secretParams.GroupIdentifier));
                return (null, false);
            }
        }
    }

    private async Task<GroupRecord> SaveAsync(GroupState state, CancellationToken cancellationToken, IReadOnlyList<Store.Inbox.InboxItem>? items = null)
    {
        var groupRecord = state.ToRecord(DateTimeOffset.UtcNow);
        var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txDisposal = tx.ConfigureAwait(false);
        await tx.Groups.UpsertAsync(groupRecord, cancellationToken).ConfigureAwait(false);
        if (items is { Count: > 0 })
        {
            await tx.Inbox.InsertManyAsync(items, cancellationToken).ConfigureAwait(false);
        }

        foreach (var member in state.Members)
        {
            if (member.Aci != record.Aci && member.ProfileKey is { Length: 32 } profileKey)
            {
                await SetProfileKeyAsync(tx, member.Aci, profileKey, cancellationToken).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        // The avatar comes off the CDN on the worker, not while the caller holds the state gate.
        work.Post(ct => avatars.SyncAsync(state, ct));
        return groupRecord;
    }

    /// <summary>
    /// The group server no longer lets the account read a group it had stored: it was removed (or left from another
    /// device). The stored group keeps its last known state without the account, so sends to it answer "not a
    /// member" instead of reaching members who no longer expect us; its endorsements are of no use any more.
    /// </summary>
    private async Task<GroupRecord> MarkNotMemberAsync(GroupRecord stored, CancellationToken cancellationToken)
    {
        if (!stored.IsMember(record.Aci) && !stored.PendingMembers.Any(p => p == record.Aci || p == record.Pni) && !stored.RequestingMembers.Contains(record.Aci))
        {
            return stored;
        }

        var removed = stored with
        {
            Members = [.. stored.Members.Where(m => m.Aci != record.Aci)],
            PendingMembers = [.. stored.PendingMembers.Where(p => p != record.Aci && p != record.Pni)],
            RequestingMembers = [.. stored.RequestingMembers.Where(r => r != record.Aci)],
            EndorsementsResponse = null,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        await db.Groups.UpsertAsync(removed, cancellationToken).ConfigureAwait(false);
        AccountLog.NoLongerGroupMember(logger, Convert.ToBase64String(stored.GroupId));
        return removed;
    }

    private static async Task SetProfileKeyAsync(AccountTransaction tx, Guid aci, byte[] profileKey, CancellationToken cancellationToken)
    {
        var recipient = await tx.Recipients.GetOrCreateByAciAsync(aci, cancellationToken).ConfigureAwait(false);
        if (!profileKey.AsSpan().SequenceEqual(recipient.ProfileKey))
        {
            await tx.Recipients.SetProfileKeyAsync(recipient.Id, profileKey, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsCurrent(GroupRecord? stored, uint? knownRevision) =>
        stored is not null && (knownRevision is null || stored.Revision >= knownRevision);

    public async ValueTask DisposeAsync()
    {
        await work.StopAsync().ConfigureAwait(false);
        fetchGate.Dispose();
        storage.Dispose();
    }
}
