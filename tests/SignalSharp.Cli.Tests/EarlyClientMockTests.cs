using System.Net;
using System.Text.Json.Nodes;
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

    [Fact]
    public async Task A_send_waiting_for_an_account_that_cannot_come_up_gets_the_error_and_the_daemon_exits_as_before()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        using var config = new TempConfig();
        var number = await JsonRpcMockTests.LinkAsync(mock, config.Path, ct);
        await using var relay = new GatedRelay(ChatEndPoint(config.Path));
        var alice = mock.Contact("alice")["aci"]!.GetValue<string>();

        await using var daemon = await RunningDaemon.StartAsync(["--config", config.Path, "-a", number], ["--server", GatedProfile(config.Path, relay.Port)],
            cancellationToken: ct);
        await WaitForAsync(() => relay.Held > 0, ct);
        var sending = daemon.SendTextAsync(alice, "never sent", ct);
        await Task.Delay(200, ct);
        relay.Refuse();

        var refused = await sending;
        Assert.Equal(-1, refused["statusCode"]!.GetValue<int>());
        var error = refused["errorMessage"]!.GetValue<string>();
        Assert.Equal(ExitCodes.AccountProblem, await daemon.StopAsync());
        // The command line says what it said when the daemon connected before listening, and the send carried the same error.
        Assert.Contains($"account {number}: connecting to its server failed: {error}", daemon.Stderr.ToString());
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
