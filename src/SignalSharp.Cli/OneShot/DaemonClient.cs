using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace SignalSharp.Cli.OneShot;

/// <summary>Sends one JSON-RPC request over a running daemon's control socket and reads its answer.</summary>
internal static class DaemonClient
{
    /// <summary>One JSON-RPC request line for the account <paramref name="number"/>.</summary>
    public static byte[] RequestLine(string number, string method, JsonObject parameters)
    {
        // A multi-account daemon needs the account named; a single-account one ignores it, as signal-cli does.
        parameters["account"] = number;
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters, ["id"] = 1 };
        return Encoding.UTF8.GetBytes(request.ToJsonString() + "\n");
    }

    /// <summary>The answer object, or null when no daemon listens at <paramref name="path"/> (run directly then).</summary>
    public static async Task<JsonObject?> TryCallAsync(string path, byte[] requestLine, CancellationToken cancellationToken)
    {
        if (!ControlSocket.MayBeServed(path))
        {
            return null;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported)
        {
            // A file left by a daemon that died: nobody serves the account.
            return null;
        }

        var stream = new NetworkStream(socket, ownsSocket: false);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(requestLine, cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                // Notifications of the daemon's own receive mode may come first; the answer carries our id.
                if (JsonNode.Parse(line) is JsonObject answer && answer.ContainsKey("id"))
                {
                    return answer;
                }
            }
        }

        throw new IOException("the daemon closed the connection without answering");
    }
}
