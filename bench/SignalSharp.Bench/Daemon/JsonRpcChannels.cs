using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SignalSharp.Bench.Daemon;

/// <summary>The jsonrpc-load benchmark's clients of one daemon: line connections on its TCP port, and its HTTP channel.</summary>
internal sealed class Channels(int tcpPort, int httpPort) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };

    public async Task<LineConnection> LineAsync(CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, tcpPort, ct);
        return new LineConnection(new NetworkStream(socket, ownsSocket: true));
    }

    /// <summary>One JSON-RPC request as POST /api/v1/rpc; the answer's body.</summary>
    public async Task<string> PostAsync(string request, CancellationToken ct)
    {
        using var content = new StringContent(request, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/v1/rpc", content, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>
    /// Waits until the daemon accepts and the phone's contact sync named <paramref name="number"/> (the one-shot send
    /// names it); false when the contact did not arrive within 30 s (the daemon accepts then).
    /// </summary>
    public async Task<bool> WaitForContactAsync(string number, Process daemon, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (daemon.HasExited)
            {
                throw new InvalidOperationException($"the daemon exited with {daemon.ExitCode}: {await daemon.StandardError.ReadToEndAsync(ct)}");
            }

            try
            {
                await using var line = await LineAsync(ct);
                if ((await line.AskAsync("""{"jsonrpc":"2.0","id":0,"method":"listContacts"}""", ct)).Contains(number.TrimStart('+'), StringComparison.Ordinal))
                {
                    return true;
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    return false;
                }
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
            }

            await Task.Delay(100, ct);
        }
    }

    public Task<BareHttpConnection> BareHttpAsync(CancellationToken ct) => BareHttpConnection.OpenAsync(httpPort, ct);

    public async Task<IReceiver> SeedReceiverAsync(CancellationToken ct) => new SeedReceiver(await LineAsync(ct));

    public async Task<IReceiver> SubscriptionAsync(CancellationToken ct)
    {
        var line = await LineAsync(ct);
        var answer = await line.AskAsync("""{"jsonrpc":"2.0","id":"s","method":"subscribeReceive"}""", ct);
        return answer.Contains("\"result\"", StringComparison.Ordinal) ? new LineReceiver(line) : throw new InvalidOperationException(answer);
    }

    /// <summary>
    /// GET /api/v1/events on a bare socket, so that disposing it closes the connection at once (HttpClient would keep
    /// an unfinished response's connection to drain it, reading and dropping the events meanwhile).
    /// </summary>
    public async Task<IReceiver> EventStreamAsync(CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, httpPort, ct);
        var line = new LineConnection(new NetworkStream(socket, ownsSocket: true));
        var status = await line.AskAsync($"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{httpPort}\r\nAccept: text/event-stream\r\n\r", ct);
        if (!status.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
        {
            await line.DisposeAsync();
            throw new InvalidOperationException("GET /api/v1/events: " + status);
        }

        while ((await line.ReadLineAsync(ct)).Length > 1)
        {
            // The response's headers, up to the empty line (its "\r" left by the line reader).
        }

        return new LineReceiver(line);
    }

    public void Dispose() => http.Dispose();
}

/// <summary>A client that has Alice's message when a line naming its marker arrives.</summary>
internal interface IReceiver : IAsyncDisposable
{
    Task WaitForAsync(string marker, CancellationToken ct);
}

/// <summary>One newline-framed connection: write a line, read lines.</summary>
internal sealed class LineConnection(Stream stream, IDisposable? owner = null) : IAsyncDisposable
{
    private readonly StreamReader reader = new(stream, Encoding.UTF8);

    public async Task<string> AskAsync(string line, CancellationToken ct)
    {
        await WriteLineAsync(line, ct);
        return await ReadLineAsync(ct);
    }

    private async Task WriteLineAsync(string line, CancellationToken ct) => await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);

    public async Task<string> ReadLineAsync(CancellationToken ct) =>
        await reader.ReadLineAsync(ct) ?? throw new InvalidOperationException("the daemon closed the connection");

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        await stream.DisposeAsync();
        owner?.Dispose();
    }
}

/// <summary>Notifications on a subscribed JSON-RPC connection, or events on the SSE stream: lines until the marker.</summary>
internal sealed class LineReceiver(LineConnection line) : IReceiver
{
    public async Task WaitForAsync(string marker, CancellationToken ct)
    {
        while (!(await line.ReadLineAsync(ct)).Contains(marker, StringComparison.Ordinal))
        {
        }
    }

    public ValueTask DisposeAsync() => line.DisposeAsync();
}

/// <summary>The seed protocol's long poll: receive_messages waits for the first item; asked again until the marker came.</summary>
internal sealed class SeedReceiver(LineConnection line) : IReceiver
{
    public async Task WaitForAsync(string marker, CancellationToken ct)
    {
        while (!(await line.AskAsync("""{"command":"receive_messages","timeout":10000}""", ct)).Contains(marker, StringComparison.Ordinal))
        {
        }
    }

    public ValueTask DisposeAsync() => line.DisposeAsync();
}
