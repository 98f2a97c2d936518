using System.Collections.Concurrent;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Tests.Support;

/// <summary>
/// The test double behind the daemon: knows a few recipients and groups, records what it was asked to send,
/// and hands out queued incoming items. It lives only in the test project; the shipped program has no such thing.
/// </summary>
internal sealed class FakeAccount : ISignalAccount
{
    public const string KnownNumber = "+4366412345678";
    public const string UnknownNumber = "+4366400000000";
    public const string FailingNumber = "+4366499999999";
    public const string TimingOutNumber = "+4366488888888";
    public static readonly Guid KnownAci = Guid.Parse("0c9d2f6e-1111-4222-8333-944455556666");
    public static readonly GroupId MemberGroup = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    public static readonly GroupId FormerGroup = new(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());
    public static readonly GroupId UnknownGroup = new(new byte[32]);

    private readonly Lock gate = new();
    private readonly List<(long Seq, ReceivedItem Item)> waiting = [];
    private TaskCompletionSource arrival = NewSignal();
    private long nextSeq;
    private int leased;
    private long clock = 1_732_530_000_000;

    public ConcurrentQueue<(MessageTarget Target, OutgoingMessage Message)> SentMessages { get; } = new();

    /// <summary>This account is never stopped by a server.</summary>
    public Task<AccountStoppedException> Stopped { get; } = new TaskCompletionSource<AccountStoppedException>().Task;

    public ConcurrentQueue<(MessageTarget Target, OutgoingReaction Reaction)> SentReactions { get; } = new();

    /// <summary>When set, every send first waits this long (honouring cancellation).</summary>
    public TimeSpan SendDelay { get; set; }

    public int ReceiveCalls;

    /// <summary>While positive, each receive call fails as a store that cannot be used right now does (and counts down).</summary>
    public int ReceiveFailures;

    /// <summary>How many sends (messages or reactions) have reached the account; tests poll it instead of sleeping.</summary>
    public int SendsStarted;

    /// <summary>
    /// When set, every send waits for this task (honouring cancellation) after <see cref="SendsStarted"/> counts it,
    /// so a test can hold a send "in progress" for exactly as long as it needs, whatever the machine's load.
    /// </summary>
    public Task? SendGate { get; set; }

    /// <summary>Items handed out and confirmed: their client got the reply carrying them.</summary>
    public ConcurrentQueue<ReceivedItem> Confirmed { get; } = new();

    /// <summary>Items leased to a receive and neither confirmed nor released yet.</summary>
    public int Leased
    {
        get
        {
            lock (gate)
            {
                return leased;
            }
        }
    }

    public int Releases;

    /// <summary>Receives that ended because their cancellation token fired.</summary>
    public int ReceivesCancelled;

    /// <summary>
    /// When set, a receive that leased items waits for this task before returning them, deaf to cancellation: the
    /// race of a client going away just as its items were taken, which only the failing write can catch.
    /// </summary>
    public Task? LeaseGate { get; set; }

    /// <summary>Set when the token of a receive held in <see cref="LeaseGate"/> is cancelled.</summary>
    public volatile bool GatedReceiveSawCancel;

    public void Deliver(params ReceivedItem[] items)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            foreach (var item in items)
            {
                waiting.Add((nextSeq++, item));
            }

            signal = arrival;
            arrival = NewSignal();
        }

        signal.TrySetResult();
    }

    public async Task<SendResult> SendMessageAsync(MessageTarget target, OutgoingMessage message, CancellationToken cancellationToken)
    {
        await BeforeSendAsync(target, cancellationToken);
        SentMessages.Enqueue((target, message));
        return new SendResult(Interlocked.Increment(ref clock), target is GroupTarget ? GroupResults : null);
    }

    /// <summary>The per-member results a group send reports (null: none).</summary>
    public IReadOnlyList<RecipientSendResult>? GroupResults { get; set; }

    /// <summary>The safety number of <see cref="KnownNumber"/>'s current key.</summary>
    public const string KnownSafetyNumber = "123451234512345123451234512345123451234512345123451234512345";

    /// <summary>The trust of <see cref="KnownNumber"/>'s current key: untrusted (it changed) until a trust command.</summary>
    public IdentityTrust KnownTrust { get; private set; } = IdentityTrust.Untrusted;

    public Task<IReadOnlyList<IdentityEntry>> ListIdentitiesAsync(RecipientAddress? recipient, CancellationToken cancellationToken)
    {
        if (recipient is { } only)
        {
            CheckReachable(only);
        }

        return Task.FromResult<IReadOnlyList<IdentityEntry>>([KnownEntry()]);
    }

    public Task<IdentityEntry> TrustAsync(RecipientAddress recipient, TrustRequest request, CancellationToken cancellationToken)
    {
        CheckReachable(recipient);
        if (request is TrustVerifiedSafetyNumber verified)
        {
            if (verified.SafetyNumber.Replace(" ", "", StringComparison.Ordinal) != KnownSafetyNumber)
            {
                throw new SafetyNumberMismatchException(recipient.ToString());
            }

            KnownTrust = IdentityTrust.TrustedVerified;
        }
        else
        {
            KnownTrust = IdentityTrust.TrustedUnverified;
        }

        return Task.FromResult(KnownEntry());
    }

    private IdentityEntry KnownEntry() => new(KnownNumber, new Aci(KnownAci), KnownSafetyNumber, KnownTrust, DateTimeOffset.FromUnixTimeMilliseconds(1_732_000_000_000));

    /// <summary>How many times a sync request was sent to the primary.</summary>
    public int SyncRequests;

    /// <summary>The group changes asked for: the group (null: create) and the request.</summary>
    public ConcurrentQueue<(GroupId? Group, GroupChangeRequest Request)> GroupChanges { get; } = new();

    /// <summary>The id a created group gets.</summary>
    public static readonly GroupId CreatedGroup = new(Enumerable.Range(201, 32).Select(i => (byte)i).ToArray());

    public Task<GroupChangeResult> CreateGroupAsync(GroupChangeRequest request, CancellationToken cancellationToken)
    {
        GroupChanges.Enqueue((null, request));
        return Task.FromResult(new GroupChangeResult(CreatedGroup, 0, Interlocked.Increment(ref clock), []));
    }

    public Task<GroupChangeResult> UpdateGroupAsync(GroupId groupId, GroupChangeRequest request, CancellationToken cancellationToken)
    {
        if (groupId.Equals(UnknownGroup))
        {
            throw new GroupNotFoundException(groupId);
        }

        GroupChanges.Enqueue((groupId, request));
        return Task.FromResult(new GroupChangeResult(groupId, 4, Interlocked.Increment(ref clock), []));
    }

    public Task<GroupChangeResult> QuitGroupAsync(GroupId groupId, IReadOnlyList<RecipientAddress> newAdmins, CancellationToken cancellationToken)
    {
        GroupChanges.Enqueue((groupId, new GroupChangeRequest { AddAdmins = newAdmins }));
        return Task.FromResult(new GroupChangeResult(groupId, 5, Interlocked.Increment(ref clock), []));
    }

    /// <summary>Invite links joinGroup was given.</summary>
    public ConcurrentQueue<string> JoinedLinks { get; } = new();

    /// <summary>A link naming "approval" only asks to join; one not on signal.group is invalid.</summary>
    public Task<GroupJoinResult> JoinGroupAsync(string inviteLink, CancellationToken cancellationToken)
    {
        if (!inviteLink.StartsWith("https://signal.group/#", StringComparison.Ordinal))
        {
            throw new InvalidGroupLinkException("not a group invite link (https://signal.group/#...)");
        }

        JoinedLinks.Enqueue(inviteLink);
        var requested = inviteLink.Contains("approval", StringComparison.Ordinal);
        return Task.FromResult(new GroupJoinResult(MemberGroup, 4, requested ? 0 : Interlocked.Increment(ref clock),
            requested ? [] : [new RecipientSendResult(KnownNumber, new Aci(KnownAci), Success: true)], requested));
    }

    public Task<IReadOnlyList<GroupSummary>> ListGroupsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<GroupSummary>>(
    [
        new GroupSummary(MemberGroup, "Test Group", 3, IsMember: true, SendOnlyAdmins: false,
            [new GroupMember(KnownNumber, KnownAci.ToString(), IsAdmin: true), new GroupMember(null, "5e0c2f6e-2222-4333-8444-a55566667777", IsAdmin: false)],
            [new MemberAddress(null, "6f1d3a7b-3333-4444-8555-b66677778888")], [])
        {
            Description = "on call", ExpirationSeconds = 600, IsBlocked = true, AddMemberPermission = GroupPermission.OnlyAdmins,
            EditDetailsPermission = GroupPermission.EveryMember, InviteLink = "https://signal.group/#CjQKIA", BannedMembers = [new MemberAddress("+4366400000009", "7a2e4b8c-4444-4555-8666-c77788889999")],
        },
        new GroupSummary(FormerGroup, null, 7, IsMember: false, SendOnlyAdmins: true, [], [], []),
    ]);

    public Task<IReadOnlyList<ContactSummary>> ListContactsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ContactSummary>>(
    [
        new ContactSummary(KnownNumber, KnownAci.ToString(), "Alice", "Alice", "Liddell", "blue", 3600, Blocked: false, Archived: true),
    ]);

    /// <summary>Rate-limit challenges answered, as (challenge, captcha).</summary>
    public ConcurrentQueue<(string Challenge, string Captcha)> Challenges { get; } = new();

    /// <summary>When set, the server refuses every challenge answer.</summary>
    public bool RefusesChallenges { get; set; }

    public Task SubmitRateLimitChallengeAsync(string challenge, string captcha, CancellationToken cancellationToken)
    {
        if (RefusesChallenges)
        {
            throw new ChallengeRefusedException("the server asks for a new challenge (HTTP 428)");
        }

        Challenges.Enqueue((challenge, captcha));
        return Task.CompletedTask;
    }

    public FakePeople FakePeople { get; } = new();

    public IAccountPeople People => FakePeople;

    public FakeStickers FakeStickers { get; } = new();

    public IAccountStickers Stickers => FakeStickers;

    public Task RequestSyncAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref SyncRequests);
        return Task.CompletedTask;
    }

    public async Task<SendResult> SendReactionAsync(MessageTarget target, OutgoingReaction reaction, CancellationToken cancellationToken)
    {
        await BeforeSendAsync(target, cancellationToken);
        CheckReachable(reaction.TargetAuthor);
        SentReactions.Enqueue((target, reaction));
        return new SendResult(Interlocked.Increment(ref clock));
    }

    /// <summary>Every remote delete, typing indicator and receipt asked for, in order, as a short description.</summary>
    public ConcurrentQueue<string> SentControls { get; } = new();

    public async Task<SendResult> SendRemoteDeleteAsync(MessageTarget target, long targetTimestamp, CancellationToken cancellationToken)
    {
        await BeforeSendAsync(target, cancellationToken);
        SentControls.Enqueue($"delete {Describe(target)} {targetTimestamp}");
        return new SendResult(Interlocked.Increment(ref clock), target is GroupTarget ? GroupResults : null);
    }

    public async Task<SendResult> SendTypingAsync(MessageTarget target, bool started, CancellationToken cancellationToken)
    {
        await BeforeSendAsync(target, cancellationToken);
        SentControls.Enqueue($"typing {Describe(target)} {(started ? "started" : "stopped")}");
        return new SendResult(Interlocked.Increment(ref clock), target is GroupTarget ? GroupResults : null);
    }

    public async Task<SendResult> SetExpirationTimerAsync(MessageTarget target, int seconds, CancellationToken cancellationToken)
    {
        await BeforeSendAsync(target, cancellationToken);
        SentControls.Enqueue($"timer {Describe(target)} {seconds}");
        return new SendResult(Interlocked.Increment(ref clock));
    }

    public async Task<SendResult> SendReceiptAsync(RecipientAddress recipient, ReceiptKind kind, IReadOnlyList<long> messageTimestamps, CancellationToken cancellationToken)
    {
        await BeforeSendAsync(new RecipientTarget(recipient), cancellationToken);
        SentControls.Enqueue($"receipt {recipient} {kind} {string.Join(',', messageTimestamps)}");
        return new SendResult(Interlocked.Increment(ref clock));
    }

    /// <summary>What the front end last asked for with <see cref="SetSendReadReceipts"/> (null: never asked).</summary>
    public bool? SendsReadReceipts { get; private set; }

    public void SetSendReadReceipts(bool enabled) => SendsReadReceipts = enabled;

    private static string Describe(MessageTarget target) => target switch
    {
        GroupTarget group => "group:" + group.GroupId.ToBase64(),
        RecipientTarget recipient => recipient.Recipient.ToString(),
        _ => "?",
    };

    public async Task<ReceivedBatch> ReceiveAsync(ReceiveRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref ReceiveCalls);
        if (Interlocked.Decrement(ref ReceiveFailures) >= 0)
        {
            throw new StoreUnavailableException("database is locked", new IOException("locked"));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout);
        while (true)
        {
            Task wake;
            List<(long Seq, ReceivedItem Item)>? taken = null;
            lock (gate)
            {
                if (waiting.Count > 0)
                {
                    taken = [.. waiting];
                    waiting.Clear();
                    leased += taken.Count;
                }

                wake = arrival.Task;
            }

            if (taken is not null)
            {
                if (LeaseGate is { } hold)
                {
                    using (cancellationToken.Register(() => GatedReceiveSawCancel = true))
                    {
                        await hold;
                    }
                }

                return new ReceivedBatch(taken.Select(t => t.Item).ToList(), _ => Confirm(taken), () => Release(taken));
            }

            try
            {
                await wake.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ReceivedBatch.Empty;
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref ReceivesCancelled);
                throw;
            }
        }
    }

    private Task Confirm(List<(long Seq, ReceivedItem Item)> taken)
    {
        lock (gate)
        {
            leased -= taken.Count;
            foreach (var (_, item) in taken)
            {
                Confirmed.Enqueue(item);
            }
        }

        return Task.CompletedTask;
    }

    private Task Release(List<(long Seq, ReceivedItem Item)> taken)
    {
        Interlocked.Increment(ref Releases);
        TaskCompletionSource signal;
        lock (gate)
        {
            leased -= taken.Count;
            waiting.AddRange(taken);
            waiting.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            signal = arrival;
            arrival = NewSignal();
        }

        signal.TrySetResult();
        return Task.CompletedTask;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task BeforeSendAsync(MessageTarget target, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref SendsStarted);
        if (SendGate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        if (SendDelay > TimeSpan.Zero)
        {
            await Task.Delay(SendDelay, cancellationToken);
        }

        switch (target)
        {
            case RecipientTarget r:
                CheckReachable(r.Recipient);
                break;
            case GroupTarget g when g.GroupId.Equals(FormerGroup):
                throw new NotAGroupMemberException(g.GroupId);
            case GroupTarget g when !g.GroupId.Equals(MemberGroup):
                throw new GroupNotFoundException(g.GroupId);
        }
    }

    private static void CheckReachable(RecipientAddress recipient)
    {
        if (recipient.Value == FailingNumber)
        {
            throw new InvalidOperationException("the server is unreachable");
        }

        if (recipient.Value == TimingOutNumber)
        {
            // What an HTTP client's own timeout looks like: a cancellation nobody on this side asked for.
            throw new TaskCanceledException("the request timed out");
        }

        if (recipient.Value != KnownNumber && recipient.Value != KnownAci.ToString())
        {
            throw new UnknownRecipientException(recipient);
        }
    }
}
