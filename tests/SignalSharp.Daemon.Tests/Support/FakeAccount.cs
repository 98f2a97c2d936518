using System.Collections.Concurrent;
using SignalSharp.Daemon.Account;

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

    private readonly SemaphoreSlim available = new(0);
    private readonly ConcurrentQueue<ReceivedItem> inbox = new();
    private long clock = 1_732_530_000_000;

    public ConcurrentQueue<(MessageTarget Target, OutgoingMessage Message)> SentMessages { get; } = new();

    public ConcurrentQueue<(MessageTarget Target, OutgoingReaction Reaction)> SentReactions { get; } = new();

    /// <summary>When set, every send first waits this long (honouring cancellation).</summary>
    public TimeSpan SendDelay { get; set; }

    public int ReceiveCalls;

    /// <summary>How many sends (messages or reactions) have reached the account; tests poll it instead of sleeping.</summary>
    public int SendsStarted;

    /// <summary>
    /// When set, every send waits for this task (honouring cancellation) after <see cref="SendsStarted"/> counts it,
    /// so a test can hold a send "in progress" for exactly as long as it needs, whatever the machine's load.
    /// </summary>
    public Task? SendGate { get; set; }

    public void Deliver(params ReceivedItem[] items)
    {
        foreach (var item in items)
        {
            inbox.Enqueue(item);
            available.Release();
        }
    }

    public async Task<SendResult> SendMessageAsync(MessageTarget target, OutgoingMessage message, CancellationToken cancellationToken)
    {
        await BeforeSendAsync(target, cancellationToken);
        SentMessages.Enqueue((target, message));
        return new SendResult(Interlocked.Increment(ref clock));
    }

    public async Task<SendResult> SendReactionAsync(MessageTarget target, OutgoingReaction reaction, CancellationToken cancellationToken)
    {
        await BeforeSendAsync(target, cancellationToken);
        CheckReachable(reaction.TargetAuthor);
        SentReactions.Enqueue((target, reaction));
        return new SendResult(Interlocked.Increment(ref clock));
    }

    public async Task<IReadOnlyList<ReceivedItem>> ReceiveAsync(ReceiveRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref ReceiveCalls);
        if (!await available.WaitAsync(request.Timeout, cancellationToken))
        {
            return [];
        }

        var items = new List<ReceivedItem>();
        inbox.TryDequeue(out var first);
        items.Add(first!);
        while (available.Wait(0))
        {
            inbox.TryDequeue(out var next);
            items.Add(next!);
        }

        return items;
    }

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
