using System.Net;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Tests.Support;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// Issue 18: the daemon listens at once and connects its account meanwhile. A relay holds the account's chat
/// connection to the mock, so the client is surely early: its send waits for the account, and is answered once the
/// account is up, or with the error that kept it down (the daemon then exits as it did when it connected first).
/// </summary>
public sealed class EarlyClientMockTests
{
    [Fact]
    public async Task A_client_connecting_before_the_account_is_online_gets_its_send_answered_once_the_account_is_up()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        using var config = new TempConfig();
        var number = await JsonRpcMockTests.LinkAsync(mock, config.Path, ct);
        await using var relay = new GatedRelay(ChatEndPoint(config.Path));
        // By service id: right after linking, the contacts (and so Alice's number) have not synced yet.
        var alice = mock.Contact("alice")["aci"]!.GetValue<string>();

        await using var daemon = await RunningDaemon.StartAsync(["--config", config.Path, "-a", number], ["--server", GatedProfile(config.Path, relay.Port)],
            cancellationToken: ct);
        await WaitForAsync(() => relay.Held > 0, ct);
        var sending = daemon.SendTextAsync(alice, "sent before the account was online", ct);

        // The account cannot be up while the relay holds its socket: the send waits instead of failing.
        await Task.Delay(500, ct);
        Assert.False(sending.IsCompleted, "answered while the account was held");

        relay.Open();
        var sent = await sending;
        Assert.True(0 == sent["statusCode"]!.GetValue<int>(), sent.ToJsonString());
        var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
        Assert.Equal("sent before the account was online", atAlice["body"]!.GetValue<string>());
        Assert.Equal(sent["timestamp"]!.ToString(), atAlice["timestamp"]!.ToString());
        Assert.Equal(0, await daemon.StopAsync());
    }

    // A daemon whose server cannot be reached keeps trying to connect (it must come up when the network does): a send
    // meanwhile is answered with why it cannot go out, and once the server is back the account comes up and sends.
    [Fact]
    public async Task A_send_while_the_server_cannot_be_reached_gets_the_error_and_the_account_comes_up_when_it_can()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        using var config = new TempConfig();
        var number = await JsonRpcMockTests.LinkAsync(mock, config.Path, ct);
        await using var relay = new GatedRelay(ChatEndPoint(config.Path));
        var alice = mock.Contact("alice")["aci"]!.GetValue<string>();
        var opener = new StoredAccountOpener(options: new SignalSharp.Account.LinkedAccountOptions { ConnectWait = TimeSpan.FromSeconds(3) });

        await using var daemon = await RunningDaemon.StartAsync(["--config", config.Path, "-a", number], ["--server", GatedProfile(config.Path, relay.Port)],
            opener, ct);
        await WaitForAsync(() => relay.Held > 0, ct);
        var sending = daemon.SendTextAsync(alice, "never sent", ct);
        await Task.Delay(200, ct);
        relay.Refuse();

        var refused = await sending;
        Assert.Equal(-1, refused["statusCode"]!.GetValue<int>());
        Assert.Contains("not connected", refused["errorMessage"]!.GetValue<string>());

        relay.Open();
        JsonNode sent;
        do
        {
            // Each try waits at most the connect wait; the account's next connect attempt comes within its backoff.
            sent = await daemon.SendTextAsync(alice, "sent once the server was back", ct);
        }
        while (sent["statusCode"]!.GetValue<int>() != 0);

        var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
        Assert.Equal("sent once the server was back", atAlice["body"]!.GetValue<string>());
        Assert.Equal(0, await daemon.StopAsync());
    }

    // Multi-account mode (no -a) serves each account while it connects: an unreachable server does not stop the
    // daemon, a request for the account is answered with why, and the account comes up once the server is back.
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_multi_account_daemon_starts_while_the_server_cannot_be_reached_and_its_account_comes_up_when_it_can()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        using var config = new TempConfig();
        var number = await JsonRpcMockTests.LinkAsync(mock, config.Path, ct);
        await using var relay = new GatedRelay(ChatEndPoint(config.Path));
        relay.Refuse();
        var alice = mock.Contact("alice")["aci"]!.GetValue<string>();
        var opener = new StoredAccountOpener(options: new SignalSharp.Account.LinkedAccountOptions { ConnectWait = TimeSpan.FromSeconds(3) });
        var socketPath = Path.Combine(config.Path, "run", "socket");
        using var stop = new CancellationTokenSource();
        var daemonErr = new StringWriter();
        var daemon = CliApp.RunAsync(["--config", config.Path, "daemon", "--socket", socketPath, "--server", GatedProfile(config.Path, relay.Port)],
            new StringWriter(), daemonErr, new CliServices(opener, stop.Token));
        await using (var client = new JsonRpc.Tests.Support.StrictClient(await JsonRpcMockTests.ConnectAsync(socketPath, daemon, daemonErr)))
        {
            var accounts = (await client.CallAsync("listAccounts"))!.AsArray().Select(a => (string)a!["number"]!);
            Assert.Equal([number], accounts);
            await WaitForAsync(() => relay.Held > 0, ct);

            var refused = await Assert.ThrowsAsync<JsonRpc.Tests.Support.RpcError>(() =>
                client.CallAsync("send", new JsonObject { ["account"] = number, ["recipient"] = alice, ["message"] = "never sent" }));
            Assert.Contains("not connected", refused.Message);
            Assert.False(daemon.IsCompleted, "the daemon exited: " + daemonErr);

            relay.Open();
            JsonNode? sent = null;
            while (sent is null)
            {
                try
                {
                    sent = await client.CallAsync("send", new JsonObject { ["account"] = number, ["recipient"] = alice, ["message"] = "sent once the server was back" });
                }
                catch (JsonRpc.Tests.Support.RpcError e) when (e.Message.Contains("not connected", StringComparison.Ordinal))
                {
                    // The account's next connect attempt comes within its backoff; each try waits at most the connect wait.
                }
            }

            Assert.Equal("SUCCESS", (string)sent["results"]![0]!["type"]!);
            var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
            Assert.Equal("sent once the server was back", atAlice["body"]!.GetValue<string>());
        }

        stop.Cancel();
        Assert.True(0 == await daemon.WaitAsync(ct), daemonErr.ToString());
    }

    private static IPEndPoint ChatEndPoint(string config)
    {
        var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(config, "mock.json")))!;
        return new IPEndPoint(IPAddress.Loopback, new Uri(profile["chatUrl"]!.GetValue<string>()).Port);
    }

    /// <summary>The mock's profile with its chat URL on the relay, for `daemon --server`.</summary>
    private static string GatedProfile(string config, int relayPort)
    {
        var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(config, "mock.json")))!.AsObject();
        profile["chatUrl"] = new UriBuilder(profile["chatUrl"]!.GetValue<string>()) { Port = relayPort }.Uri.ToString().TrimEnd('/');
        var path = Path.Combine(config, "gated.json");
        File.WriteAllText(path, profile.ToJsonString());
        return path;
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(20, ct);
        }
    }
}
