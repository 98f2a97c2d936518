using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SignalSharp.Bench.Daemon;

/// <summary>One benchmark connection: writes a prepared command and counts response lines.</summary>
internal sealed class LoadClient : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly byte[] buffer = new byte[256 * 1024];

    private LoadClient(Socket socket) => this.socket = socket;

    public static async Task<LoadClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return new LoadClient(socket);
    }

    /// <summary>One command at a time; returns each round trip's duration in Stopwatch ticks.</summary>
    public async Task ClosedLoopAsync(byte[] command, List<long> latencies, Func<bool> running, bool record)
    {
        while (running())
        {
            var started = Stopwatch.GetTimestamp();
            await SendAsync(command);
            await ReadResponsesAsync(1);
            if (record)
            {
                latencies.Add(Stopwatch.GetTimestamp() - started);
            }
        }
    }

    /// <summary>Batches of <paramref name="depth"/> commands in one write; returns the commands answered.</summary>
    public async Task<long> PipelinedAsync(byte[] batch, int depth, Func<bool> running)
    {
        long answered = 0;
        while (running())
        {
            await SendAsync(batch);
            await ReadResponsesAsync(depth);
            answered += depth;
        }

        return answered;
    }

    private async Task SendAsync(byte[] bytes)
    {
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    private async Task ReadResponsesAsync(int count)
    {
        var lines = 0;
        while (lines < count)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0)
            {
                throw new InvalidOperationException("the daemon closed the connection");
            }

            lines += buffer.AsSpan(0, n).Count((byte)'\n');
        }
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
