using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Tests.Support;
using SignalSharp.Interop.Testing;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.Cli.Tests;

/// <summary>signal-cli's JSON-RPC from the command line: `daemon --socket` against Signal's mock server, and `jsonRpc` on stdio.</summary>
public sealed class JsonRpcMockTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Over_the_daemons_unix_socket_a_strict_client_sends_to_alice_and_receives_her_message()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-jsonrpc-").FullName;
        try
        {
            var number = await LinkAsync(mock, config, ct);
            var socketPath = Path.Combine(config, "run", "socket");
            using var stop = new CancellationTokenSource();
            var daemonErr = new StringWriter();
            var daemon = CliApp.RunAsync(["--config", config, "-a", number, "daemon", "--socket", socketPath, "--receive-mode", "manual"], new StringWriter(), daemonErr,
                new CliServices(new StoredAccountOpener(), stop.Token));
            await using (var client = new StrictClient(await ConnectAsync(socketPath, daemon, daemonErr)))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socketPath));
                var subscription = await client.SubscribeAsync();

                var alice = mock.Contact("alice");
                var aliceNumber = alice["number"]!.GetValue<string>();
                var aliceAci = alice["aci"]!.GetValue<string>();

                // By service id, as signal-cli's README does right after linking (the number is known once contacts synced).
                var sent = await client.CallAsync("send", new JsonObject { ["account"] = null, ["recipient"] = new JsonArray(aliceAci), ["message"] = "hi alice" });
                Assert.Equal("SUCCESS", (string)sent!["results"]![0]!["type"]!);
                Assert.Equal(aliceAci, (string)sent["results"]![0]!["recipientAddress"]!["uuid"]!);
                var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
                Assert.Equal("hi alice", atAlice["body"]!.GetValue<string>());
                Assert.Equal(sent["timestamp"]!.ToString(), atAlice["timestamp"]!.ToString());

                await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "echo: hi alice", ["timestamp"] = 1_700_000_000_321L }, ct);
                var result = await client.NextReceiveAsync(subscription);
                Assert.Equal(number, (string)result["account"]!);
                var envelope = result["envelope"]!;
                Assert.Equal(aliceNumber, (string)envelope["sourceNumber"]!);
                Assert.Equal(aliceAci, (string)envelope["sourceUuid"]!);
                Assert.Equal(1_700_000_000_321L, (long)envelope["timestamp"]!);
                Assert.Equal("echo: hi alice", (string)envelope["dataMessage"]!["message"]!);

                await client.UnsubscribeAsync(subscription);
            }

            stop.Cancel();
            Assert.True(0 == await daemon.WaitAsync(ct), daemonErr.ToString());
            Assert.False(File.Exists(socketPath), "the socket file is removed on exit");
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    [Fact]
    public async Task JsonRpc_speaks_on_stdin_and_stdout_until_stdin_ends()
    {
        var toCli = new Pipe();
        var fromCli = new Pipe();
        var account = new OneAccount();
        var services = new CliServices(account, CancellationToken.None)
        {
            StandardInput = toCli.Reader.AsStream(),
            StandardOutput = fromCli.Writer.AsStream(),
        };
        var stderr = new StringWriter();
        var run = CliApp.RunAsync(["-a", "+4366412345678", "jsonRpc", "--send-read-receipts"], new StringWriter(), stderr, services);

        var input = toCli.Writer.AsStream();
        await input.WriteAsync("""{"jsonrpc":"2.0","method":"send","params":{"recipient":"+4366400000001","message":"hi"},"id":"x"}"""u8.ToArray().Concat("\n"u8.ToArray()).ToArray());
        using var output = new StreamReader(fromCli.Reader.AsStream(), Encoding.UTF8);
        var line = await output.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(
            """{"jsonrpc":"2.0","result":{"timestamp":42,"results":[{"recipientAddress":{"uuid":null,"number":"+4366400000001"},"type":"SUCCESS"}]},"id":"x"}""",
            line);
        Assert.True(account.SendsReadReceipts);

        await toCli.Writer.CompleteAsync();
        Assert.True(0 == await run.WaitAsync(TimeSpan.FromSeconds(60)), stderr.ToString());
    }

    [Fact]
    public async Task Daemon_refuses_what_it_cannot_do_yet()
    {
        Assert.Equal(ExitCodes.Usage, await CliApp.RunAsync(["-a", "+4366412345678", "daemon", "--http", "127.0.0.1:http"], new StringWriter(), new StringWriter()));
        Assert.Equal(ExitCodes.Usage, await CliApp.RunAsync(["-a", "+4366412345678", "daemon", "--receive-mode", "sometimes"], new StringWriter(), new StringWriter()));
    }

    /// <param name="writeProfile">Writes the server profile to link against (the plain mock's when null).</param>
    /// <param name="primary">The mock's primary device whose account is linked (a contact's name for a second account).</param>
    internal static async Task<string> LinkAsync(MockServer mock, string config, CancellationToken ct, Action<string>? writeProfile = null, string primary = "phone")
    {
        var profile = Path.Combine(config, "mock.json");
        (writeProfile ?? mock.WriteServerProfile)(profile);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var link = CliApp.RunAsync(["--config", config, "link", "-n", "jsonrpc test", "--server", profile], stdout, stderr);
        var clock = Stopwatch.StartNew();
        string? uri;
        while ((uri = stdout.ToString().Split('\n').FirstOrDefault(l => l.StartsWith("sgnl://", StringComparison.Ordinal))) is null)
        {
            Assert.False(link.IsCompleted, "link exited: " + stderr);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no link URI: " + stderr);
            await Task.Delay(50, ct);
        }

        var phone = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.Trim(), ["primary"] = primary }, ct);
        Assert.True(0 == await link.WaitAsync(ct), stderr.ToString());
        await phone.WaitAsync(ct);
        return (primary == "phone" ? mock.Phone : mock.Contact(primary))["number"]!.GetValue<string>();
    }

    internal static async Task<Stream> ConnectAsync(string path, Task<int> daemon, StringWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(daemon.IsCompleted, "daemon exited: " + stderr);
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                socket.Dispose();
                await Task.Delay(50);
            }
        }
    }
}
