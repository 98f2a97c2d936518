using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace SignalSharp.Service.Tests.Support;

/// <summary>Hands out scripted peers, one per connection attempt, so reconnect behaviour can be driven exactly.</summary>
internal sealed class FakeChatServer : IAsyncDisposable
{
    private readonly Channel<FakeWebSocketPeer> accepted = Channel.CreateUnbounded<FakeWebSocketPeer>();
    private readonly ConcurrentBag<FakeWebSocketPeer> peers = [];
    private int refusals;
    private int attempts;

    public int Attempts => Volatile.Read(ref attempts);

    /// <summary>The next <paramref name="count"/> attempts fail as if the server were unreachable.</summary>
    public void Refuse(int count) => Volatile.Write(ref refusals, count);

    public async Task<WebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref attempts);
        if (Interlocked.Decrement(ref refusals) >= 0)
        {
            throw new ServiceConnectionException("connection refused (scripted)");
        }

        var peer = await FakeWebSocketPeer.CreateAsync();
        peers.Add(peer);
        accepted.Writer.TryWrite(peer);
        return peer.Client;
    }

    public async Task<FakeWebSocketPeer> NextPeerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await accepted.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in peers)
        {
            await peer.DisposeAsync();
        }
    }
}
