using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Daemon.Tests.Support;
using SignalSharp.Faults.Tests.Support;
using SignalSharp.JsonRpc;
using SignalSharp.JsonRpc.Transport;
using Xunit.Abstractions;

namespace SignalSharp.Faults.Tests;

/// <summary>
/// Fuzzing of the JSON-RPC front end over a real socket (an account double behind it). A request with an id gets
/// exactly one answer whatever its parameters hold (deep nesting, huge numbers, invalid UTF-8, NULs, lone
/// surrogates, any type where another is expected): its own, or a parse error when the line is not JSON. Any line
/// at all gets at most one answer, every answer is a JSON-RPC response, and the connection stays open.
/// </summary>
public sealed class JsonRpcFuzzTests(ITestOutputHelper output)
{
    // Not "receive": a hostile timeout may legitimately wait up to an hour for messages.
    private static readonly string[] Methods = ["send", "sendReaction", "listGroups", "listContacts", "listIdentities", "trust", "getAttachment",
        "updateContact", "remoteDelete", "sendTyping", "sendReceipt", "sendSyncRequest", "version", "listAccounts", "unsubscribeReceive", "nope", ""];

    [Fact]
    public async Task A_request_with_hostile_parameters_gets_exactly_one_answer_and_the_connection_stays_open()
    {
        await using var server = await FrontEndServer.StartAsync();
        var requests = 0;
        var gen = Gen.Select(HostileJson.CompleteLine, Gen.Int[0, Methods.Length - 1]).Array[1, 5];
        await gen.SampleAsync(async batch =>
        {
            await using var client = await server.ConnectAsync();
            var lines = batch.Select((pair, i) =>
                Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{i}},"method":"{{Methods[pair.Item2]}}","params":""").Concat(pair.Item1).Append((byte)'}').ToArray()).ToList();
            var answers = await client.ExchangeAsync(lines, expected: lines.Count);
            var ids = answers.Select(a => a.GetProperty("id")).ToList();
            // Each answer names its request, or null for a line that was not JSON at all; none twice, none missing.
            var named = ids.Where(id => id.ValueKind == JsonValueKind.Number).Select(id => id.GetInt32()).ToList();
            Assert.Equal(named.Distinct().Count(), named.Count);
            Assert.All(ids.Where(id => id.ValueKind != JsonValueKind.Number), id => Assert.Equal(JsonValueKind.Null, id.ValueKind));
            Assert.All(named, id => Assert.InRange(id, 0, lines.Count - 1));
            Interlocked.Add(ref requests, lines.Count);
        }, iter: FaultScale.Pick(300, 100_000), threads: 1, seed: FaultSeed);
        output.WriteLine($"{requests} requests with hostile parameters, each answered once");
    }

    [Fact]
    public async Task Any_hostile_line_gets_at_most_one_answer_and_a_probe_after_it_is_answered()
    {
        await using var server = await FrontEndServer.StartAsync();
        var lines = 0;
        await HostileJson.CompleteLine.Array[1, 6].SampleAsync(async batch =>
        {
            await using var client = await server.ConnectAsync();
            // Requests without an id are notifications (no answer); anything else that is no request answers -32600 or -32700.
            await client.ExchangeAsync(batch, expected: null);
            Interlocked.Add(ref lines, batch.Length);
        }, iter: FaultScale.Pick(400, 200_000), threads: 1, seed: FaultSeed);
        output.WriteLine($"{lines} hostile lines, none answered twice, the connection open after each");
    }

    private static string? FaultSeed => Environment.GetEnvironmentVariable(FaultScale.Variable + "_CSCHECK_SEED");

    /// <summary>A JSON-RPC front end over an account double, on a loopback TCP port.</summary>
    private sealed class FrontEndServer : IAsyncDisposable
    {
        private readonly JsonRpcSocketListener listener;

        private FrontEndServer(JsonRpcSocketListener listener) => this.listener = listener;

        public static Task<FrontEndServer> StartAsync()
        {
            var frontEnd = new JsonRpcFrontEnd(new FakeAccount(), new JsonRpcOptions(FakeAccount.KnownNumber, ReceiveMode.Manual));
            var listener = new JsonRpcSocketListener(frontEnd, new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
            listener.Start();
            return Task.FromResult(new FrontEndServer(listener));
        }

        public async Task<RpcLineClient> ConnectAsync()
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync((IPEndPoint)listener.LocalEndPoint!);
            return new RpcLineClient(socket);
        }

        public ValueTask DisposeAsync() => listener.DisposeAsync();
    }

    private sealed class RpcLineClient(Socket socket) : IAsyncDisposable
    {
        private readonly NetworkStream stream = new(socket, ownsSocket: true);
        private StreamReader? reader;

        /// <summary>
        /// Sends the lines and a probe, reads until the probe's answer and every other answer came (requests run
        /// concurrently, so they may come in any order), then checks with a second probe that nothing more follows.
        /// </summary>
        public async Task<List<JsonElement>> ExchangeAsync(IReadOnlyList<byte[]> lines, int? expected)
        {
            reader ??= new StreamReader(stream, new UTF8Encoding(false));
            var payload = lines.SelectMany(line => line.Where(b => b != '\n').Append((byte)'\n'))
                .Concat("""{"jsonrpc":"2.0","id":"probe","method":"version"}"""u8.ToArray()).Append((byte)'\n').ToArray();
            await stream.WriteAsync(payload);
            var answers = new List<JsonElement>();
            var probed = false;
            while (!probed || (expected is { } count && answers.Count < count))
            {
                var answer = await ReadAsync(lines);
                if (answer.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == "probe")
                {
                    probed = true;
                    continue;
                }

                answers.Add(answer);
                Assert.True(answers.Count <= lines.Count, $"{answers.Count} answers to {lines.Count} lines: {Show(lines)}");
            }

            // Answers come as requests finish, so without a count the last of them may follow the probe's: a second
            // probe gathers those. With a count, nothing may follow.
            await stream.WriteAsync("""{"jsonrpc":"2.0","id":"again","method":"version"}"""u8.ToArray().Append((byte)'\n').ToArray());
            while (true)
            {
                var late = await ReadAsync(lines);
                if (late.GetProperty("id").ValueKind == JsonValueKind.String && late.GetProperty("id").GetString() == "again")
                {
                    return answers;
                }

                Assert.True(expected is null, $"an extra answer {late} after: {Show(lines)}");
                answers.Add(late);
                Assert.True(answers.Count <= lines.Count, $"{answers.Count} answers to {lines.Count} lines: {Show(lines)}");
            }
        }

        private async Task<JsonElement> ReadAsync(IReadOnlyList<byte[]> lines)
        {
            var line = await reader!.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(line is not null, "the connection closed after: " + Show(lines));
            using var document = JsonDocument.Parse(line!);
            var answer = document.RootElement.Clone();
            Assert.Equal("2.0", answer.GetProperty("jsonrpc").GetString());
            Assert.True(answer.TryGetProperty("result", out _) ^ answer.TryGetProperty("error", out _), "neither result nor error: " + line);
            return answer;
        }

        private static string Show(IReadOnlyList<byte[]> lines) => string.Join(" | ", lines.Select(Convert.ToBase64String));

        public async ValueTask DisposeAsync()
        {
            reader?.Dispose();
            await stream.DisposeAsync();
        }
    }
}
