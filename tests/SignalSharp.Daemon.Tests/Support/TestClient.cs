using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace SignalSharp.Daemon.Tests.Support;

/// <summary>A raw TCP client that writes bytes and reads '\n'-terminated response lines, with timeouts.</summary>
internal sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    private TestClient(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static async Task<TestClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return new TestClient(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await Socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    /// <summary>The next response line (without '\n'), or null at the end of the stream.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(buffer, start, newline);
                start += newline + 1;
                return line;
            }

            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                throw new InvalidOperationException("response line longer than the test buffer");
            }

            var n = await Socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, cts.Token);
            if (n == 0)
            {
                if (end > start)
                {
                    throw new InvalidOperationException("stream ended inside a response line");
                }

                return null;
            }

            end += n;
        }
    }

    /// <summary>The next response, parsed; fails the test at the end of the stream.</summary>
    public async Task<JsonElement> ReadResponseAsync(TimeSpan? timeout = null)
    {
        var line = await ReadLineAsync(timeout) ?? throw new InvalidOperationException("connection closed before a response");
        Assert.DoesNotContain('\r', line);
        using var document = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }

    public async Task<JsonElement> RoundTripAsync(string command)
    {
        await SendAsync(command + "\n");
        return await ReadResponseAsync();
    }

    public ValueTask DisposeAsync()
    {
        Socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
