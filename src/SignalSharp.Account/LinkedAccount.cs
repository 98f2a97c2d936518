using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Api;
using SignalSharp.Account.Groups;
using SignalSharp.Account.Identities;
using SignalSharp.Account.PreKeys;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Receiving;
using SignalSharp.Account.Sending;
using SignalSharp.Account.Storage;
using SignalSharp.Account.Sync;
using SignalSharp.Crypto;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;
using SignalSharp.Store;

namespace SignalSharp.Account;

/// <summary>
/// A linked account at work, as the daemon sees it (<see cref="ISignalAccount"/>): a facade that wires the helpers
/// and routes each call down to them. Sends go to <see cref="DirectSender"/> or <see cref="GroupMessageSender"/>;
/// the background <see cref="ReceiveLoop"/> stores every envelope in the inbox before acking it, and
/// <see cref="InboxReader"/> hands the items out. Protocol state is touched by one operation at a time (a send or
/// one batch of envelopes, under one gate), so sessions never race.
/// </summary>
public sealed class LinkedAccount : ISignalAccount, IAsyncDisposable
{
    private readonly AccountDatabase db;
    private readonly ChatConnection chat;
    private readonly SemaphoreSlim protocolGate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly GroupManager groups;
    private readonly PreKeyMaintenance preKeys;
    private readonly SealedAccess sealedAccess;
    private readonly RecipientResolver recipients;
    private readonly DirectSender direct;
    private readonly SendRouter router;
    private readonly ConversationTimers timers;
    private readonly GroupMessageSender groupSend;
    private readonly Groups.Management.GroupAdministration groupAdmin;
    private readonly SyncHandler sync;
    private readonly ResendResponder resends;
    private readonly AutomaticReceipts receipts;
    private readonly ReceiveLoop receiveLoop;
    private readonly InboxReader inbox;
    private readonly InboxRetention retention;
    private readonly ContactIdentities identities;
    private readonly Listings.AccountListings listings;
    private readonly ServerProfile profile;
    private readonly People.AccountPeople people;
    private readonly Service.Stickers.StickerDownloader stickerCdn;
    private readonly Stickers.AccountStickers stickers;
    private readonly StorageService.StorageWriteBack storageWriteBack;
    private readonly Service.Http.ServiceHttpClient serviceHttp;
    private readonly ILogger logger;
    private static readonly TimeSpan FirstContactSyncWait = TimeSpan.FromSeconds(5);
    private readonly AccountServing serving;
    private readonly LinkedAccountOptions options;
    private AttachmentDownloader? downloader;
    private Task? receiver;
    private Task? preKeyTimer;
    private Task? startChecks;
    private Task? sweeper;
    private Task? receiptSender;
    private Task? profileWorker;

    private LinkedAccount(AccountDatabase db, AccountRecord record, ServerProfile profile, LinkedAccountOptions options, ILogger logger)
    {
        this.db = db;
        this.profile = profile;
        this.logger = logger;
        Record = record;
        chat = new ChatConnection(profile, new ChatCredentials(record.Aci.ToString(), record.DeviceId, record.Password),
            new ChatConnectionOptions { ReceiveStories = options.ReceiveStories }, logger);
        serving = new AccountServing(chat, options.ConnectWait, logger);
        this.options = options;
        var api = new ChatApi(chat);
        // One HTTP connection pool for the group and storage servers, not one per job: it is kept per account.
        serviceHttp = new Service.Http.ServiceHttpClient(profile);
        groups = new GroupManager(db, record, profile, api, serviceHttp, logger);
        preKeys = new PreKeyMaintenance(api, db, record.Pni is not null, options.Time, logger);
        sealedAccess = new SealedAccess(profile, api, db, logger, time: options.Time, idleClose: options.UnauthenticatedIdleClose);
        recipients = new RecipientResolver(db, record);
        direct = new DirectSender(api, db, record, protocolGate, sealedAccess, logger);
        groupSend = new GroupMessageSender(profile, api, db, record, protocolGate, sealedAccess, options.MultiRecipientSend, logger);
        timers = new ConversationTimers(db, record.Aci);
        storageWriteBack = new StorageService.StorageWriteBack(serviceHttp, api, db, record, new OwnDeviceSync(api, db, record, protocolGate, logger), logger);
        groupAdmin = new Groups.Management.GroupAdministration(groups, new Service.Groups.ProfileKeyCredentialApi(chat), recipients.ResolveAsync,
            new GroupUpdateSender(groupSend, direct).AnnounceAsync, db, record, logger) { Joined = storageWriteBack.GroupJoinedAsync };
        stickerCdn = new Service.Stickers.StickerDownloader(profile);
        stickers = new Stickers.AccountStickers(db, stickerCdn, logger);
        router = new SendRouter(recipients, new DataMessageBuilder(profile, api, record, recipients, stickers), direct, groupSend, timers);
        sync = new SyncHandler(profile, api, db, record, protocolGate, logger, stopping.Token);
        resends = new ResendResponder(direct, db, record, protocolGate, logger, stopping.Token);
        receipts = new AutomaticReceipts(direct, record.Aci, logger, stopping.Token);
        var trustRoots = profile.SealedSenderTrustRoots.Select(r => ECPublicKey.Deserialize(r)).ToList();
        var processor = new EnvelopeProcessor(db, record.Aci, record.DeviceId, record.Number, trustRoots, logger)
        {
            OnContent = OnContentAsync,
            OnRetryRequest = sync.SendRetryRequestAsync,
            OnHeld = () => downloader?.Wake(),
            GroupRefresh = (masterKey, revision, ct) => groups.GetOrFetchAsync(masterKey, revision, ct),
            ReceiveStories = options.ReceiveStories,
        };
        receiveLoop = new ReceiveLoop(chat, processor, db, protocolGate, options.ReceiveBatch, logger)
        {
            Handled = envelope => preKeys.OnEnvelopeHandled(envelope, stopping.Token),
        };
        identities = new ContactIdentities(db, record.Aci);
        listings = new Listings.AccountListings(db, record.Aci);
        retention = new InboxRetention(db, options.KeepDelivered, options.RetentionInterval, logger);
        inbox = new InboxReader(db, new InboxItemMapper(db, record, identities), retention, options.MaxAttachmentBytesPerReceive);
        people = new People.AccountPeople(db, api, record, profile, recipients, protocolGate, storageWriteBack, () => receipts.SendReadReceipts, logger, options.Time)
        {
            ProfileKeyRotated = async (key, ct) => await groupAdmin.OwnProfileKeyChangedAsync(key, ct).ConfigureAwait(false),
        };
    }

    public AccountRecord Record { get; }

    public AccountDatabase Database => db;

    /// <summary>How this account learns its groups (storage service, group contexts) and fetches their state.</summary>
    internal GroupManager Groups => groups;

    internal PreKeyMaintenance PreKeys => preKeys;

    /// <summary>The start's upkeep beside the first sends: a primary's attributes when behind, the pre-key check, a primary's missing manifest.</summary>
    internal Task StartChecks => startChecks ?? Task.CompletedTask;

    /// <summary>What the account wrote back to the storage service (for tests).</summary>
    internal StorageService.StorageWriteBack StorageWriteBack => storageWriteBack;

    /// <summary>Envelopes the receiver finished (stored, dropped as duplicates, or stored as failures) and acked.</summary>
    public int EnvelopesHandled => receiveLoop.EnvelopesHandled;

    /// <summary>Messages to contacts that went out sealed (the rest went authenticated).</summary>
    internal int SealedSends => direct.SealedSends;

    /// <summary>The sealed-sender socket: its state (null before the first sealed send) and how often it was opened.</summary>
    internal (ChatConnectionState? State, int Connects) UnauthenticatedSocket => sealedAccess.Socket;

    internal int RetryRequestsSent => sync.RetryRequestsSent;

    /// <summary>Contacts' resend requests for our 1:1 messages that were answered.</summary>
    internal int ResendRequestsAnswered => resends.Answered;

    /// <summary>What the last group send did (for diagnostics and the benchmark).</summary>
    internal GroupSendReport? LastGroupSend => groupSend.LastSend;

    /// <summary>Received messages whose attachments were fetched (or failed) and moved to the inbox since the start.</summary>
    internal int AttachmentMessagesCompleted => downloader?.Completed ?? 0;

    /// <summary>Opens the account stored in <paramref name="accountDirectory"/>, or null when none is linked there.</summary>
    public static Task<LinkedAccount?> OpenAsync(string accountDirectory, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        OpenAsync(accountDirectory, null, logger, cancellationToken);

    /// <param name="serverOverride">Reach this server instead of the one stored with the account (`daemon --server`).</param>
    public static Task<LinkedAccount?> OpenAsync(string accountDirectory, ServerProfile? serverOverride, ILogger? logger, CancellationToken cancellationToken) =>
        OpenAsync(accountDirectory, serverOverride, LinkedAccountOptions.Default, logger, cancellationToken);

    /// <param name="options">Test and benchmark knobs (<see cref="LinkedAccountOptions.Default"/> in production).</param>
    public static async Task<LinkedAccount?> OpenAsync(string accountDirectory, ServerProfile? serverOverride, LinkedAccountOptions options, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(Path.Combine(accountDirectory, AccountDatabase.FileName)))
        {
            return null;
        }

        // The chat connection's first TLS handshake needs the system's trust store loaded; load it meanwhile.
        Service.Profiles.SystemTrustStoreWarmUp.Start();
        var trust = options.TrustNewIdentities switch
        {
            NewIdentityTrust.Always => Store.Protocol.TrustNewIdentities.Always,
            NewIdentityTrust.Never => Store.Protocol.TrustNewIdentities.Never,
            _ => Store.Protocol.TrustNewIdentities.OnFirstUse,
        };
        var db = await AccountDatabase.OpenAsync(accountDirectory, new AccountDatabaseOptions { TrustNewIdentities = trust }, cancellationToken).ConfigureAwait(false);
        var record = await AccountRecord.LoadAsync(db, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            await db.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        var profile = serverOverride ?? ServerProfile.Parse(record.ServerProfileJson, accountDirectory, "stored server profile");
        // Items leased to a client whose reply never went out (the process died in between) are handed out again.
        await db.Inbox.ReleaseAbandonedLeasesAsync(cancellationToken).ConfigureAwait(false);
        return new LinkedAccount(db, record, profile, options, logger ?? NullLogger.Instance);
    }

    public Task<AccountStoppedException> Stopped => serving.Stopped;

    /// <summary>
    /// Connects and starts the background work: receiver, attachment downloads (also those left by an earlier run),
    /// groups, pre-keys, the first sync. The start is done (sends go out) once the socket is up and the first run's
    /// sync request was answered; the pre-key check runs on after it (<see cref="StartChecks"/>). When the server refuses the device or this client, the account starts
    /// stopped instead (<see cref="Stopped"/>): what it stored stays readable, and whoever serves it keeps serving.
    /// A front end may serve while this runs: calls that need the server wait, within their own cancellation, until
    /// the start is done (or fail with why the account could not come up), so they come after it as when the front
    /// end opened only then; calls that read the store do not wait.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => serving.Begin(() => StartCoreAsync(cancellationToken));

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await chat.StartAsync(options.ConnectUntilUp, cancellationToken).ConfigureAwait(false);
        }
        catch (Service.ServiceException e) when (AccountStops.From(e) is { } refused)
        {
            serving.MarkStopped(refused);
            return;
        }

        _ = chat.Completion.ContinueWith(ended => serving.StoppedByChat(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        downloader ??= new AttachmentDownloader(db, profile, logger);
        downloader.Start();
        receiver = Task.Run(() => receiveLoop.RunAsync(stopping.Token), CancellationToken.None);
        sweeper = Task.Run(() => retention.RunAsync(stopping.Token), CancellationToken.None);
        receiptSender = Task.Run(receipts.RunAsync, CancellationToken.None);
        profileWorker = await people.StartAsync(stopping.Token).ConfigureAwait(false);
        groups.Start(stopping.Token);
        preKeyTimer = Task.Run(() => preKeys.RunTimerAsync(stopping.Token), CancellationToken.None);
        // A primary's attributes when behind, the pre-key check and its missing storage manifest (its registration could not write it) are upkeep
        // no send depends on: they run beside the first sends instead of in front of them.
        startChecks = StartSteps.InBackground(options.BeforeStartChecks, async ct =>
        {
            await people.RefreshAttributesIfBehindAsync(ct).ConfigureAwait(false);
            await preKeys.MaintainInBackgroundAsync(checkCounts: true, ct).ConfigureAwait(false);
            await storageWriteBack.EnsureManifestAsync(ct).ConfigureAwait(false);
        }, "attribute, pre-key and storage manifest check", logger, stopping.Token);
        if (await StartSteps.TolerateAsync(() => sync.RequestOnceAsync(cancellationToken), "first sync request", logger).ConfigureAwait(false))
        {
            // The first run after linking: sends by number need the primary's contacts, so the start (which they wait
            // for) waits a little for them, as the daemon's late listener once did by chance.
            await sync.ContactsHandled.WaitAsync(FirstContactSyncWait, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public Task<SendResult> SendMessageAsync(MessageTarget target, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        return serving.ServedAsync(() => router.MessageAsync(target, message, cancellationToken), cancellationToken);
    }

    public Task<SendResult> SendReactionAsync(MessageTarget target, OutgoingReaction reaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reaction);
        return serving.ServedAsync(() => router.ReactionAsync(target, reaction, cancellationToken), cancellationToken);
    }

    public Task<SendResult> SendRemoteDeleteAsync(MessageTarget target, long targetTimestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return serving.ServedAsync(() => router.RemoteDeleteAsync(target, targetTimestamp, cancellationToken), cancellationToken);
    }

    public Task<SendResult> SendTypingAsync(MessageTarget target, bool started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return serving.ServedAsync(() => router.TypingAsync(target, started, cancellationToken), cancellationToken);
    }

    public Task<SendResult> SetExpirationTimerAsync(MessageTarget target, int seconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return serving.ServedAsync(() => router.ExpirationTimerAsync(target, seconds, cancellationToken), cancellationToken);
    }

    public void SetSendReadReceipts(bool enabled) => receipts.SendReadReceipts = enabled;

    /// <summary>Automatic delivery and read receipts sent since the start.</summary>
    internal int ReceiptsSent => receipts.Sent;

    public Task<SendResult> SendReceiptAsync(RecipientAddress recipient, ReceiptKind kind, IReadOnlyList<long> messageTimestamps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageTimestamps);
        return serving.ServedAsync(() => router.ReceiptAsync(recipient, kind, messageTimestamps, cancellationToken), cancellationToken);
    }

    /// <summary>Sends <paramref name="data"/> to a group's members, then the Sent transcript to our own devices.</summary>
    internal Task<GroupSendReport> SendGroupDataAsync(Store.Groups.GroupRecord group, DataMessage data, ulong timestamp, CancellationToken cancellationToken) =>
        groupSend.SendAsync(group, data, timestamp, cancellationToken);

    public Task<IReadOnlyList<IdentityEntry>> ListIdentitiesAsync(RecipientAddress? recipient, CancellationToken cancellationToken) => serving.StoredAsync(async () =>
    {
        Guid? only = recipient is { } address ? await recipients.ResolveAsync(address, cancellationToken).ConfigureAwait(false) : null;
        return await identities.ListAsync(only, cancellationToken).ConfigureAwait(false);
    });

    public Task<IdentityEntry> TrustAsync(RecipientAddress recipient, TrustRequest request, CancellationToken cancellationToken) => serving.StoredAsync(async () =>
    {
        var aci = await recipients.ResolveAsync(recipient, cancellationToken).ConfigureAwait(false);
        return await identities.TrustAsync(aci, recipient.ToString(), request, cancellationToken).ConfigureAwait(false);
    });

    public Task<GroupChangeResult> CreateGroupAsync(GroupChangeRequest request, CancellationToken cancellationToken) =>
        serving.ServedAsync(() => groupAdmin.CreateAsync(request, cancellationToken), cancellationToken);

    public Task<GroupChangeResult> UpdateGroupAsync(GroupId groupId, GroupChangeRequest request, CancellationToken cancellationToken) =>
        serving.ServedAsync(() => groupAdmin.UpdateAsync(groupId, request, cancellationToken), cancellationToken);

    public Task<GroupChangeResult> QuitGroupAsync(GroupId groupId, IReadOnlyList<RecipientAddress> newAdmins, CancellationToken cancellationToken) =>
        serving.ServedAsync(() => groupAdmin.QuitAsync(groupId, newAdmins, cancellationToken), cancellationToken);

    public Task<GroupJoinResult> JoinGroupAsync(string inviteLink, CancellationToken cancellationToken) =>
        serving.ServedAsync(() => groupAdmin.JoinAsync(inviteLink, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<GroupSummary>> ListGroupsAsync(CancellationToken cancellationToken) => listings.GroupsAsync(cancellationToken);

    public Task<IReadOnlyList<ContactSummary>> ListContactsAsync(CancellationToken cancellationToken) => listings.ContactsAsync(cancellationToken);

    public async Task RequestSyncAsync(CancellationToken cancellationToken)
    {
        await serving.StartedAsync(cancellationToken).ConfigureAwait(false);
        await sync.RequestAsync(cancellationToken).ConfigureAwait(false);
    }

    public IAccountPeople People => people;

    public IAccountStickers Stickers => stickers;

    public Task SubmitRateLimitChallengeAsync(string challenge, string captcha, CancellationToken cancellationToken) => serving.ServedAsync(async () =>
    {
        await RateLimitChallenge.SubmitOnAsync(chat, challenge, captcha, cancellationToken).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    public Task<ReceivedBatch> ReceiveAsync(ReceiveRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return serving.StoredAsync(() => inbox.ReceiveAsync(request, cancellationToken));
    }

    /// <summary>
    /// Content the account acts on besides storing it: group contexts and storage hints, contact syncs, resend
    /// requests, receipts to send, conversation timers.
    /// </summary>
    private async Task OnContentAsync(Guid sender, uint senderDevice, Content content)
    {
        groups.OnContent(sender, content);
        resends.OnContent(sender, senderDevice, content);
        receipts.OnContent(sender, content);
        await people.OnContentAsync(sender, content, stopping.Token).ConfigureAwait(false);
        await timers.OnContentAsync(sender, content, stopping.Token).ConfigureAwait(false);
        await stickers.OnContentAsync(content, sender == Record.Aci, stopping.Token).ConfigureAwait(false);
        await sync.OnContentAsync(sender, content).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        foreach (var background in new[] { receiver, sweeper, receiptSender, profileWorker })
        {
            if (background is not null)
            {
                try
                {
                    await background.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        foreach (var upkeep in new[] { preKeyTimer, startChecks })
        {
            if (upkeep is not null)
            {
                await upkeep.ConfigureAwait(false);
            }
        }

        if (downloader is not null)
        {
            await downloader.DisposeAsync().ConfigureAwait(false);
        }

        await groups.DisposeAsync().ConfigureAwait(false);
        await chat.DisposeAsync().ConfigureAwait(false);
        await sealedAccess.DisposeAsync().ConfigureAwait(false);
        groupSend.Dispose();
        stickerCdn.Dispose();
        storageWriteBack.Dispose();
        serviceHttp.Dispose();
        preKeys.Dispose();
        await db.DisposeAsync().ConfigureAwait(false);
        protocolGate.Dispose();
        stopping.Dispose();
    }
}
