using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Json;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Session;

/// <summary>
/// One receive subscription: leases what its accounts (one, or several in multi-account mode) received and writes it to the connection as <c>receive</c>
/// notifications. A lease is confirmed only after its notifications were written in one piece, and put back when the
/// write fails or the subscription ends first, so a message leaves the durable inbox only once a subscriber got it;
/// what arrives while nobody listens waits, in order, for the next subscriber.
/// </summary>
internal sealed class ReceiveSubscription : IAsyncDisposable
{
    private readonly IJsonRpcOutput output;
    private readonly Func<System.Text.Json.Nodes.JsonNode, byte[]> frame;
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource stop = new();
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly HashSet<string> started = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly JsonRpcFrontEnd? following;
    private readonly TaskCompletionSource opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int running;
    private bool stopping;
    private Exception? failure;

    /// <param name="internalSubscription">
    /// True for the automatic subscription of on-start and on-connection modes: its notifications carry the payload
    /// as params; an explicit one wraps it as <c>{"subscription":id,"result":payload}</c>.
    /// </param>
    /// <param name="accounts">The accounts to receive from; null for every account <paramref name="frontEnd"/> serves, now and later.</param>
    /// <param name="frame">How one payload goes on the wire; a JSON-RPC <c>receive</c> notification line when null (SSE frames it as an event).</param>
    /// <param name="deferred">Write nothing until <see cref="Open"/>: an explicit subscription's notifications follow the answer that names its id.</param>
    public ReceiveSubscription(int id, bool internalSubscription, JsonRpcFrontEnd frontEnd, IReadOnlyList<ServedAccount>? accounts, IJsonRpcOutput output,
        Func<System.Text.Json.Nodes.JsonNode, byte[]>? frame = null, bool deferred = false)
    {
        if (!deferred)
        {
            opened.TrySetResult();
        }

        logger = frontEnd.Logger;
        Id = id;
        IsInternal = internalSubscription;
        this.output = output;
        this.frame = frame ?? (payload => JsonRpcWriter.Notification("receive", payload));
        if (accounts is null)
        {
            // Subscribed before the list is read, so that an account added in between is started by one or the other.
            following = frontEnd;
            frontEnd.AccountAdded += Start;
            accounts = frontEnd.Accounts;
        }

        foreach (var account in accounts)
        {
            Start(account);
        }
    }

    public int Id { get; }

    /// <summary>Lets a deferred subscription start writing (once its id reached the client, or could not).</summary>
    public void Open() => opened.TrySetResult();

    public bool IsInternal { get; }

    /// <summary>
    /// Ends when stopped, or with the exception that ended one account's loop (the peer went away: every loop then
    /// stops, as they all write to the same peer).
    /// </summary>
    public Task Completion => ended.Task;

    public async ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            await ended.Task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The loop already put its lease back; the reason it ended is the peer's, not ours.
        }

        stop.Dispose();
    }

    /// <summary>One loop per account, once; none after the subscription stopped.</summary>
    private void Start(ServedAccount account)
    {
        lock (gate)
        {
            if (stopping || !started.Add(account.Number))
            {
                return;
            }

            running++;
        }

        _ = Task.Run(() => RunAsync(account, stop.Token)).ContinueWith(LoopEnded, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void LoopEnded(Task loop)
    {
        lock (gate)
        {
            failure ??= loop.Exception?.InnerException;
            running--;
        }

        if (loop.IsFaulted)
        {
            Stop();
        }

        CompleteWhenIdle();
    }

    private void Stop()
    {
        if (following is not null)
        {
            following.AccountAdded -= Start;
        }

        lock (gate)
        {
            stopping = true;
        }

        // Outside the lock: cancelling may end a loop inline, and its end takes the lock.
        stop.Cancel();
        CompleteWhenIdle();
    }

    private void CompleteWhenIdle()
    {
        lock (gate)
        {
            if (running != 0 || !stopping)
            {
                return;
            }
        }

        Complete();
    }

    private void Complete()
    {
        Exception? error;
        lock (gate)
        {
            error = failure;
        }

        if (error is null)
        {
            ended.TrySetResult();
        }
        else
        {
            ended.TrySetException(error);
        }
    }

    private async Task RunAsync(ServedAccount served, CancellationToken cancellationToken)
    {
        try
        {
            await opened.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var (account, options) = (served.Account, served.Options);
        var attachments = new Methods.AttachmentStore(options.AttachmentDirectory);
        var request = new ReceiveRequest(options.SubscriptionPollTimeout, options.IgnoreAttachments);
        while (!cancellationToken.IsCancellationRequested)
        {
            ReceivedBatch batch;
            try
            {
                batch = await account.ReceiveAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (AccountException e)
            {
                // The store cannot be used for a moment (locked by a long write on a loaded machine, say): the items
                // wait in the inbox, so the subscription asks again instead of ending silently while its client waits.
                SubscriptionLog.ReceiveFailed(logger, e.GetType().Name);
                if (!await PauseAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            await using (batch.ConfigureAwait(false))
            {
                if (batch.Items.Count == 0)
                {
                    continue;
                }

                await output.WriteAsync(Notifications(batch.Items, options.Account, attachments), cancellationToken).ConfigureAwait(false);
                if (!await output.TakenAsync(cancellationToken).ConfigureAwait(false))
                {
                    // Written into a connection the client already left: the lease goes back for the next subscriber.
                    throw new IOException("the client left before it could take the notifications");
                }

                try
                {
                    await batch.ConfirmAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The client has the items; put back unconfirmed they come again (twice rather than never).
                    SubscriptionLog.ConfirmFailed(logger, batch.Items.Count, e.GetType().Name);
                }
            }
        }
    }

    private static async Task<bool> PauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(RetryPause, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>All of a lease's notifications as one buffer, so that the write delivers all of them or fails as one.</summary>
    private byte[] Notifications(IReadOnlyList<ReceivedItem> items, string number, Methods.AttachmentStore attachments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var item in items)
        {
            buffer.Write(NotificationFor(item, number, attachments));
        }

        return buffer.WrittenSpan.ToArray();
    }

    private byte[] NotificationFor(ReceivedItem item, string number, Methods.AttachmentStore attachments)
    {
        var payload = JsonSerializer.SerializeToNode(EnvelopeMapper.ToPayload(item, number, attachments.SaverFor(item)), JsonRpcJsonContext.Default.JsonReceivePayload)!;
        if (!IsInternal)
        {
            payload = new System.Text.Json.Nodes.JsonObject { ["subscription"] = Id, ["result"] = payload };
        }

        return frame(payload);
    }
}
