using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SignalSharp.Bench.Daemon;

/// <summary>
/// One keep-alive HTTP/1.1 connection written and read by hand: <c>POST /api/v1/rpc</c> with a Content-Length body,
/// the answer read up to its Content-Length. Beside <see cref="HttpClient"/> it shows which part of an HTTP round trip
/// is the daemon's and which the client library's.
/// </summary>
internal sealed class BareHttpConnection : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private readonly string host;
    private byte[] buffer = new byte[16 * 1024];
    private int filled;

    private BareHttpConnection(Socket socket, int port)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
        host = $"127.0.0.1:{port}";
    }

    public static async Task<BareHttpConnection> OpenAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port, ct);
        return new BareHttpConnection(socket, port);
    }

    /// <summary>The answer's body; throws unless the status is 200.</summary>
    public async Task<string> PostAsync(string body, CancellationToken ct)
    {
        var content = Encoding.UTF8.GetBytes(body);
        var head = Encoding.ASCII.GetBytes(
            $"POST /api/v1/rpc HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {content.Length}\r\n\r\n");
        await stream.WriteAsync(head.Concat(content).ToArray(), ct);

        var headEnd = await FillUntilHeadEndAsync(ct);
        var headText = Encoding.ASCII.GetString(buffer, 0, headEnd);
        if (!headText.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("POST /api/v1/rpc: " + headText.Split('\r')[0]);
        }

        var length = ContentLength(headText);
        var bodyStart = headEnd + 4;
        while (filled < bodyStart + length)
        {
            await FillAsync(ct);
        }

        var answer = Encoding.UTF8.GetString(buffer, bodyStart, length);
        // Keep what follows (nothing, with one request at a time) for the next answer.
        Buffer.BlockCopy(buffer, bodyStart + length, buffer, 0, filled - bodyStart - length);
        filled -= bodyStart + length;
        return answer;
    }

    private async Task<int> FillUntilHeadEndAsync(CancellationToken ct)
    {
        while (true)
        {
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return end;
            }

            await FillAsync(ct);
        }
    }

    private async Task FillAsync(CancellationToken ct)
    {
        if (filled == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        var read = await stream.ReadAsync(buffer.AsMemory(filled), ct);
        filled += read > 0 ? read : throw new InvalidOperationException("the daemon closed the HTTP connection");
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("an answer without Content-Length: " + head);
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        socket.Dispose();
    }
}
