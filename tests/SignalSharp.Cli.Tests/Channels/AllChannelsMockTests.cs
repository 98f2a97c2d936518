using System.Net.Sockets;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Tests.Support;
using SignalSharp.Interop.Testing;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.Cli.Tests.Channels;

/// <summary>
/// One daemon serving TCP, the UNIX socket and HTTP at once against Signal's mock server: a message that arrives
/// while nobody listens reaches the first SSE subscriber, a live one follows, and a send over TCP JSON-RPC reaches
/// Alice (who decrypts it).
/// </summary>
public sealed class AllChannelsMockTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Tcp_socket_and_http_serve_one_account_and_sse_gets_what_arrived_before_it_connected()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-channels-").FullName;
        try
        {
            var number = await JsonRpcMockTests.LinkAsync(mock, config, ct);
            var tcpPort = Loopback.FreePort();
            var httpPort = Loopback.FreePort();
            var socketPath = Path.Combine(config, "run", "socket");
            using var stop = new CancellationTokenSource();
            var stderr = new StringWriter();
            var daemon = CliApp.RunAsync(
                ["--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{tcpPort}", "--socket", socketPath, "--http", $"localhost:{httpPort}"],
                new StringWriter(), stderr, new CliServices(new StoredAccountOpener(), stop.Token));
            (await Loopback.ConnectAsync(httpPort, daemon, stderr)).Dispose();

            // Nobody listens yet: the message waits in the durable inbox.
            await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "before anyone listened", ["timestamp"] = 1_700_000_000_001L }, ct);

            using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{httpPort}"), Timeout = Timeout.InfiniteTimeSpan };
            using var events = await http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, ct);
            Assert.Equal("text/event-stream", events.Content.Headers.ContentType!.MediaType);
            using var eventLines = new StreamReader(await events.Content.ReadAsStreamAsync(ct));
            var first = await NextEventAsync(eventLines, ct);
            Assert.Equal(number, (string)first["account"]!);
            Assert.Equal("before anyone listened", (string)first["envelope"]!["dataMessage"]!["message"]!);
            Assert.Equal(1_700_000_000_001L, (long)first["envelope"]!["timestamp"]!);

            await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "live", ["timestamp"] = 1_700_000_000_002L }, ct);
            Assert.Equal("live", (string)(await NextEventAsync(eventLines, ct))["envelope"]!["dataMessage"]!["message"]!);

            await using (var tcp = new StrictClient(await Loopback.ConnectAsync(tcpPort, daemon, stderr)))
            {
                var aliceNumber = mock.Contact("alice")["number"]!.GetValue<string>();
                var sent = await tcp.CallAsync("send", new JsonObject { ["recipient"] = new JsonArray(aliceNumber), ["message"] = "over tcp json-rpc" });
                Assert.Equal("SUCCESS", (string)sent!["results"]![0]!["type"]!);
                var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
                Assert.Equal("over tcp json-rpc", atAlice["body"]!.GetValue<string>());
            }

            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await unix.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
            await using (var overSocket = new StrictClient(new NetworkStream(unix, ownsSocket: true)))
            {
                Assert.Equal("0.13.19", (string)(await overSocket.CallAsync("version"))!["version"]!);
            }

            stop.Cancel();
            Assert.True(0 == await daemon.WaitAsync(ct), stderr.ToString());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    /// <summary>The next <c>receive</c> event's data, skipping keep-alive comments.</summary>
    private static async Task<JsonObject> NextEventAsync(StreamReader lines, CancellationToken ct)
    {
        string? name = null;
        while (await lines.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line["event:".Length..];
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                Assert.Equal("receive", name);
                var data = JsonNode.Parse(line["data:".Length..])!.AsObject();
                Assert.Equal("", await lines.ReadLineAsync(ct));
                return data;
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }
}
