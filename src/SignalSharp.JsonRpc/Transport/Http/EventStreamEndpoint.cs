using Microsoft.AspNetCore.Http;
using SignalSharp.JsonRpc.Session;

namespace SignalSharp.JsonRpc.Transport.Http;

/// <summary>
/// <c>GET /api/v1/events</c>: received messages as server-sent <c>receive</c> events (the payload signal-cli puts in a
/// notification's params), a <c>:</c> comment when idle. Headers go out at once. The stream is a subscriber like any
/// other: an item leaves the durable inbox only after its event was written to it.
/// </summary>
internal sealed class EventStreamEndpoint(JsonRpcFrontEnd frontEnd, TimeSpan keepAliveInterval, CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext context)
    {
        // A single-account daemon serves its account whatever ?account= names, as signal-cli does; a multi-account
        // one streams the named account, or all of them without ?account= (accounts linked later too).
        var named = context.Request.Query["account"].ToString();
        var all = frontEnd.IsMultiAccount && named.Length == 0;
        IReadOnlyList<ServedAccount>? accounts = all ? null : frontEnd.Find(named) is { } one ? [one] : [];
        var response = context.Response;
        if (accounts is { Count: 0 })
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);

        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        // The socket answers whether the client took an event before Kestrel notices that it left.
        var socket = context.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionSocketFeature>()?.Socket;
        using var output = new EventStreamOutput(response, context.RequestAborted, socket);
        var subscription = new ReceiveSubscription(-1, internalSubscription: true, frontEnd, accounts, output, EventStreamOutput.ReceiveEvent);
        await using (subscription.ConfigureAwait(false))
        {
            try
            {
                while (!ended.IsCancellationRequested && !subscription.Completion.IsCompleted)
                {
                    await Task.WhenAny(Task.Delay(keepAliveInterval, ended.Token), subscription.Completion).ConfigureAwait(false);
                    if (!ended.IsCancellationRequested && !subscription.Completion.IsCompleted)
                    {
                        await output.WriteKeepAliveAsync(ended.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The client went away or the daemon stops; the subscription puts back what it had not written.
            }
        }
    }
}
