using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SignalSharp.JsonRpc.Protocol;
using SignalSharp.JsonRpc.Session;
using SignalSharp.Service.Transport;

namespace SignalSharp.JsonRpc.Transport.Http;

/// <summary>
/// An SSE response: events and keep-alive comments, one writer at a time, each flushed to the client. Once the client
/// has gone (<paramref name="clientGone"/>), Kestrel takes writes without a word and drops them: a write then fails,
/// so what it carried is not counted as handed out and goes to the next subscriber. Before Kestrel notices, the
/// connection's <paramref name="socket"/> (when the transport gives it) tells whether the client can have taken a write.
/// </summary>
internal sealed class EventStreamOutput(HttpResponse response, CancellationToken clientGone, System.Net.Sockets.Socket? socket = null)
    : IJsonRpcOutput, IDisposable
{
    private static readonly TimeSpan TakeWait = TimeSpan.FromSeconds(5);
    private static readonly byte[] KeepAlive = ":\n"u8.ToArray();
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>signal-cli's framing of a receive payload on /api/v1/events.</summary>
    public static byte[] ReceiveEvent(JsonNode payload) => JsonRpcWriter.Event("receive", payload);

    public async Task WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClientGone();
            await response.Body.WriteAsync(lines, cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            ThrowIfClientGone();
        }
        finally
        {
            gate.Release();
        }
    }

    private void ThrowIfClientGone()
    {
        if (clientGone.IsCancellationRequested)
        {
            throw new IOException("the client closed the event stream");
        }
    }

    public async ValueTask<bool> TakenAsync(CancellationToken cancellationToken) =>
        !clientGone.IsCancellationRequested
        && (socket is null || await PeerReceipt.AnswerTakenAsync(socket, TakeWait, cancellationToken).ConfigureAwait(false))
        && !clientGone.IsCancellationRequested;

    public Task WriteKeepAliveAsync(CancellationToken cancellationToken) => WriteAsync(KeepAlive, cancellationToken);

    public void Dispose() => gate.Dispose();
}
