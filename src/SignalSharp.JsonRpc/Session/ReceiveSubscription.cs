using System.Buffers;
using System.Text.Json;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Json;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Session;

/// <summary>
/// One receive subscription: leases what the account received and writes it to the connection as <c>receive</c>
/// notifications. A lease is confirmed only after its notifications were written in one piece, and put back when the
/// write fails or the subscription ends first, so a message leaves the durable inbox only once a subscriber got it;
/// what arrives while nobody listens waits, in order, for the next subscriber.
/// </summary>
internal sealed class ReceiveSubscription : IAsyncDisposable
{
    private readonly ISignalAccount account;
    private readonly JsonRpcOptions options;
    private readonly IJsonRpcOutput output;
    private readonly Func<System.Text.Json.Nodes.JsonNode, byte[]> frame;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    /// <param name="internalSubscription">
    /// True for the automatic subscription of on-start and on-connection modes: its notifications carry the payload
    /// as params; an explicit one wraps it as <c>{"subscription":id,"result":payload}</c>.
    /// </param>
    /// <param name="frame">How one payload goes on the wire; a JSON-RPC <c>receive</c> notification line when null (SSE frames it as an event).</param>
    public ReceiveSubscription(int id, bool internalSubscription, ISignalAccount account, JsonRpcOptions options, IJsonRpcOutput output,
        Func<System.Text.Json.Nodes.JsonNode, byte[]>? frame = null)
    {
        Id = id;
        IsInternal = internalSubscription;
        this.account = account;
        this.options = options;
        this.output = output;
        this.frame = frame ?? (payload => JsonRpcWriter.Notification("receive", payload));
        loop = Task.Run(() => RunAsync(stop.Token));
    }

    public int Id { get; }

    public bool IsInternal { get; }

    /// <summary>Ends with the loop: normally when stopped, or with the exception that ended it (the peer went away).</summary>
    public Task Completion => loop;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The loop already put its lease back; the reason it ended is the peer's, not ours.
        }

        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
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

            await using (batch.ConfigureAwait(false))
            {
                if (batch.Items.Count == 0)
                {
                    continue;
                }

                await output.WriteAsync(Notifications(batch.Items), cancellationToken).ConfigureAwait(false);
                await batch.ConfirmAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>All of a lease's notifications as one buffer, so that the write delivers all of them or fails as one.</summary>
    private byte[] Notifications(IReadOnlyList<ReceivedItem> items)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var item in items)
        {
            buffer.Write(NotificationFor(item));
        }

        return buffer.WrittenSpan.ToArray();
    }

    private byte[] NotificationFor(ReceivedItem item)
    {
        var payload = JsonSerializer.SerializeToNode(EnvelopeMapper.ToPayload(item, options.Account), JsonRpcJsonContext.Default.JsonReceivePayload)!;
        if (!IsInternal)
        {
            payload = new System.Text.Json.Nodes.JsonObject { ["subscription"] = Id, ["result"] = payload };
        }

        return frame(payload);
    }
}
