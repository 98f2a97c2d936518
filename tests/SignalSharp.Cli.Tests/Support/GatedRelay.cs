using System.Net;
using System.Net.Sockets;

namespace SignalSharp.Cli.Tests.Support;

/// <summary>
/// A TCP relay in front of the mock's chat port that holds every connection until the test opens the gate (then
/// relays both ways) or refuses (then resets them): it decides when the daemon's account can come up.
/// </summary>
internal sealed class GatedRelay : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint target;
    private volatile TaskCompletionSource<bool> gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> open = [];
    private readonly Lock sockets = new();
    private readonly Task accepting;
    private int held;

    public GatedRelay(IPEndPoint target)
    {
        this.target = target;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Connections that arrived (held or relayed).</summary>
    public int Held => Volatile.Read(ref held);

    /// <summary>Relays every held connection and every later one (also after <see cref="Refuse"/>: the server is back).</summary>
    public void Open()
    {
        if (!gate.TrySetResult(true) && !gate.Task.Result)
        {
            var opened = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            opened.SetResult(true);
            gate = opened;
        }
    }

    /// <summary>Resets every held connection and every later one.</summary>
    public void Refuse() => gate.TrySetResult(false);

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref held);
            Track(client);
            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(Socket client)
    {
        try
        {
            if (!await gate.Task.WaitAsync(stop.Token))
            {
                client.LingerState = new LingerOption(true, 0);
                client.Close();
                return;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            Track(server);
            await server.ConnectAsync(target, stop.Token);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
            client.Dispose();
            server.Dispose();
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            client.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await from.ReceiveAsync(buffer, stop.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, n), stop.Token);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private void Track(Socket socket)
    {
        lock (sockets)
        {
            open.Add(socket);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        lock (sockets)
        {
            foreach (var socket in open)
            {
                socket.Dispose();
            }
        }

        stop.Dispose();
    }
}
