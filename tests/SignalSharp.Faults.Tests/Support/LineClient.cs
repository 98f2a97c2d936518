using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace SignalSharp.Faults.Tests.Support;

/// <summary>A client of the daemon's TCP protocol that sends one command at a time and reads its answer.</summary>
internal sealed class LineClient : IDisposable
{
    private readonly TcpClient tcp = new();
    private StreamReader? reader;
    private NetworkStream? stream;

    public static async Task<LineClient> ConnectAsync(int port, CancellationToken ct)
    {
        var client = new LineClient();
        await client.tcp.ConnectAsync(IPAddress.Loopback, port, ct);
        client.stream = client.tcp.GetStream();
        client.reader = new StreamReader(client.stream, Encoding.UTF8);
        return client;
    }

    /// <summary>The answer, or null when the daemon went away before answering.</summary>
    public async Task<JsonNode?> CommandAsync(string line, CancellationToken ct)
    {
        try
        {
            await stream!.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
            var answer = await reader!.ReadLineAsync(ct);
            return answer is null ? null : JsonNode.Parse(answer);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            // Gone, or cut off inside the answer (the daemon confirms nothing it did not finish writing).
            return null;
        }
    }

    /// <summary>Writes several command lines at once (a pipelining client); read their answers with <see cref="ReadAsync"/>.</summary>
    public async Task<bool> WriteAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        try
        {
            await stream!.WriteAsync(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))), ct);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The next answer, or null when the daemon went away.</summary>
    public async Task<JsonNode?> ReadAsync(CancellationToken ct)
    {
        try
        {
            var answer = await reader!.ReadLineAsync(ct);
            return answer is null ? null : JsonNode.Parse(answer);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public void Dispose() => tcp.Dispose();
}
