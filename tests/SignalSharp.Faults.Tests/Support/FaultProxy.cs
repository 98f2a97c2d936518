using System.Net;
using System.Net.Sockets;

namespace SignalSharp.Faults.Tests.Support;

/// <summary>What the proxy does to the connections it carries.</summary>
internal enum FaultKind
{
    /// <summary>Forward faithfully.</summary>
    None,

    /// <summary>Reset both sides (RST) after a number of bytes from the server, mid-frame when it falls so.</summary>
    Cut,

    /// <summary>Stop forwarding for a while, both ways, then go on.</summary>
    Stall,

    /// <summary>Forward in small pieces with a pause between them.</summary>
    Slow,
}

/// <summary>
/// A TCP proxy between a client under test and its server that cuts, stalls and slows connections on demand or at
/// random: the server side of the daemon's network faults. Each accepted connection draws its fate from
/// <see cref="NextFault"/> when it opens, so a test can aim faults at the first bytes after CONNECT (the TLS and
/// WebSocket handshakes) or later, inside a frame.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint target;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> open = [];
    private readonly Lock gate = new();
    private readonly Task accepting;
    private int accepted;
    private int cuts;

    public FaultProxy(IPEndPoint target)
    {
        this.target = target;
        listener.Start(64);
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref accepted);

    /// <summary>Connections the proxy cut so far.</summary>
    public int Cuts => Volatile.Read(ref cuts);

    /// <summary>Decides each new connection's fault: the kind and the byte count from the server after which it strikes.</summary>
    public Func<(FaultKind Kind, long AfterBytes)> NextFault { get; set; } = () => (FaultKind.None, 0);

    /// <summary>Resets every open connection now (RST), as a broken network path does; returns how many it cut.</summary>
    public int CutAll()
    {
        lock (gate)
        {
            foreach (var socket in open)
            {
                Reset(socket);
            }

            Interlocked.Add(ref cuts, open.Count / 2);
            return open.Count / 2;
        }
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref accepted);
            _ = CarryAsync(client, NextFault());
        }
    }

    private async Task CarryAsync(Socket client, (FaultKind Kind, long AfterBytes) fault)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        Track(client, server);
        try
        {
            await server.ConnectAsync(target, stop.Token).ConfigureAwait(false);
            using var pair = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            var up = PumpAsync(client, server, (FaultKind.None, 0), pair.Token);
            var down = PumpAsync(server, client, fault, pair.Token);
            await Task.WhenAny(up, down).ConfigureAwait(false);
            await pair.CancelAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Untrack(client, server);
            Reset(client);
            Reset(server);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, (FaultKind Kind, long AfterBytes) fault, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        long carried = 0;
        var struck = false;
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                var chunk = buffer.AsMemory(0, n);
                if (!struck && fault.Kind != FaultKind.None && carried + n > fault.AfterBytes)
                {
                    struck = true;
                    var before = (int)Math.Max(0, fault.AfterBytes - carried);
                    await SendAllAsync(to, chunk[..before], ct).ConfigureAwait(false);
                    chunk = chunk[before..];
                    carried += before;
                    switch (fault.Kind)
                    {
                        case FaultKind.Cut:
                            Interlocked.Increment(ref cuts);
                            Reset(from);
                            Reset(to);
                            return;
                        case FaultKind.Stall:
                            await Task.Delay(Random.Shared.Next(500, 3000), ct).ConfigureAwait(false);
                            break;
                    }
                }

                if (struck && fault.Kind == FaultKind.Slow)
                {
                    for (var offset = 0; offset < chunk.Length; offset += 64)
                    {
                        await SendAllAsync(to, chunk.Slice(offset, Math.Min(64, chunk.Length - offset)), ct).ConfigureAwait(false);
                        await Task.Delay(5, ct).ConfigureAwait(false);
                    }
                }
                else
                {
                    await SendAllAsync(to, chunk, ct).ConfigureAwait(false);
                }

                carried += chunk.Length;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task SendAllAsync(Socket to, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            data = data[await to.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false)..];
        }
    }

    /// <summary>A zero linger time makes the close a reset, as a dead middlebox or a killed peer gives.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private void Track(Socket a, Socket b)
    {
        lock (gate)
        {
            open.Add(a);
            open.Add(b);
        }
    }

    private void Untrack(Socket a, Socket b)
    {
        lock (gate)
        {
            open.Remove(a);
            open.Remove(b);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await accepting.ConfigureAwait(false);
        CutAll();
        stop.Dispose();
    }
}
