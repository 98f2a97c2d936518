using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Protocol;
using SignalSharp.JsonRpc.Transport;

namespace SignalSharp.JsonRpc.Session;

/// <summary>
/// One client's session on any line transport: its requests run concurrently and answer in the order they finish
/// (clients match answers by id); its receive subscriptions end with it.
/// </summary>
public sealed class JsonRpcConnection : IAsyncDisposable
{
    private readonly JsonRpcFrontEnd frontEnd;
    private readonly Lock gate = new();
    private readonly Dictionary<int, ReceiveSubscription> subscriptions = [];

    internal JsonRpcConnection(JsonRpcFrontEnd frontEnd, IJsonRpcOutput output, bool streaming = true, bool autoSubscribe = true)
    {
        this.frontEnd = frontEnd;
        Output = output;
        Streaming = streaming;
        AutoSubscribe = autoSubscribe;
    }

    /// <summary>
    /// Whether the connection is subscribed as it opens outside manual mode. False for one-shot commands' connections:
    /// they read one answer and leave, so nothing received may be handed to them unasked.
    /// </summary>
    public bool AutoSubscribe { get; }

    public IJsonRpcOutput Output { get; }

    /// <summary>
    /// False for one HTTP request's connection: it has no lasting output, so it takes no subscriptions (signal-cli's
    /// HTTP endpoint does not know subscribeReceive either; SSE is its way to receive).
    /// </summary>
    public bool Streaming { get; }

    public JsonRpcFrontEnd FrontEnd => frontEnd;

    /// <summary>True while the automatic subscription of on-start / on-connection mode feeds this connection.</summary>
    public bool ReceivesAutomatically
    {
        get
        {
            lock (gate)
            {
                return subscriptions.Values.Any(s => s.IsInternal);
            }
        }
    }

    /// <summary>
    /// Reads lines until the input ends or <paramref name="cancellationToken"/> fires, then waits for the requests in
    /// flight. <paramref name="alreadyRead"/> is input another reader took from <paramref name="input"/> first.
    /// </summary>
    public async Task RunAsync(Stream input, CancellationToken cancellationToken, ReadOnlyMemory<byte> alreadyRead = default)
    {
        if (frontEnd.Options.ReceiveMode != ReceiveMode.Manual && AutoSubscribe)
        {
            Subscribe(internalSubscription: true);
        }

        var reader = new LineReader(input, frontEnd.Options.MaxLineBytes, alreadyRead);
        var inFlight = new HashSet<Task>();
        try
        {
            while (await ReadAsync(reader, cancellationToken).ConfigureAwait(false) is { } line)
            {
                var task = line.TooLong ? WriteTooLongAsync(cancellationToken) : Task.Run(() => ProcessLineAsync(line.Bytes, cancellationToken), cancellationToken);
                lock (inFlight)
                {
                    inFlight.Add(task);
                }

                _ = task.ContinueWith(
                    t =>
                    {
                        lock (inFlight)
                        {
                            inFlight.Remove(t);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        finally
        {
            Task[] remaining;
            lock (inFlight)
            {
                remaining = [.. inFlight];
            }

            await Task.WhenAll(remaining).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>Answers one line: writes the answer, then confirms the received items it carried (or puts them back).</summary>
    public async Task ProcessLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        var outcome = await frontEnd.Dispatcher.HandleLineAsync(line, this, cancellationToken).ConfigureAwait(false);
        try
        {
            if (outcome.Line is not null)
            {
                await Output.WriteAsync(outcome.Line, cancellationToken).ConfigureAwait(false);
            }

            foreach (var lease in outcome.Leases)
            {
                await lease.ConfirmAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var lease in outcome.Leases)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Starts a subscription to what <paramref name="accounts"/> receive (when null: every account the front end
    /// serves, including those it serves later); returns its id.
    /// </summary>
    public int Subscribe(bool internalSubscription, IReadOnlyList<ServedAccount>? accounts = null) =>
        Add(new ReceiveSubscription(frontEnd.NextSubscriptionId(), internalSubscription, frontEnd, accounts, Output)).Id;

    /// <summary>
    /// As <see cref="Subscribe"/>, but its notifications wait until the returned lease is confirmed (the answer that
    /// names the id was written) or released: a client learns the id before the first notification that carries it.
    /// </summary>
    internal (int Id, ReceivedBatch Opening) SubscribeDeferred(IReadOnlyList<ServedAccount>? accounts)
    {
        var subscription = Add(new ReceiveSubscription(frontEnd.NextSubscriptionId(), internalSubscription: false, frontEnd, accounts, Output, deferred: true));
        return (subscription.Id, new ReceivedBatch([], _ =>
        {
            subscription.Open();
            return Task.CompletedTask;
        }, () =>
        {
            subscription.Open();
            return Task.CompletedTask;
        }));
    }

    private ReceiveSubscription Add(ReceiveSubscription subscription)
    {
        lock (gate)
        {
            subscriptions.Add(subscription.Id, subscription);
        }

        return subscription;
    }

    /// <summary>
    /// Ends the subscription <paramref name="id"/>, or with null the connection's first one (signal-cli's
    /// single-account rule); false when there is no such subscription.
    /// </summary>
    public async Task<bool> UnsubscribeAsync(int? id)
    {
        ReceiveSubscription? subscription;
        lock (gate)
        {
            subscription = id is { } wanted
                ? subscriptions.GetValueOrDefault(wanted)
                : subscriptions.Values.OrderBy(s => s.Id).FirstOrDefault();
            if (subscription is not null)
            {
                subscriptions.Remove(subscription.Id);
            }
        }

        if (subscription is null)
        {
            return id is null;
        }

        await subscription.DisposeAsync().ConfigureAwait(false);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        ReceiveSubscription[] all;
        lock (gate)
        {
            all = [.. subscriptions.Values];
            subscriptions.Clear();
        }

        foreach (var subscription in all)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<InputLine?> ReadAsync(LineReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }
    }

    private Task WriteTooLongAsync(CancellationToken cancellationToken) =>
        Output.WriteAsync(
            JsonRpcWriter.Response(JsonRpcResponse.Failure(null, new JsonRpcError(JsonRpcErrorCodes.ParseError, "Input line too long"))),
            cancellationToken);
}
