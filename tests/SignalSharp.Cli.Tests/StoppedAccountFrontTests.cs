using System.Diagnostics;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// Issue 12 item 5, the account's side, through the production-style front (interop/mock/front): when the server
/// refuses the device (HTTP 403, also right after a 4401 close) or this client (HTTP 499), the account stops; the
/// daemon keeps serving both its sockets and answers every send with why and what to do, and the command line tells
/// the user to link again.
/// </summary>
public sealed class StoppedAccountFrontTests
{
    private const string LinkAgain = "link this device again with `signal-sharp link`";

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Refused_logins_stop_the_account_the_daemon_keeps_serving_and_every_front_end_says_link_again()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartWithFrontAsync("Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-stopped-").FullName;
        try
        {
            var number = await JsonRpcMockTests.LinkAsync(mock, config, ct, path => mock.WriteFrontProfile(path, ("omnibus", "2"), ("legacy", "1.1")));
            var alice = mock.Contact("alice")["number"]!.GetValue<string>();
            var socketPath = Path.Combine(config, "run", "socket");

            // Running: a send goes out.
            await using (var daemon = await Support.RunningDaemon.StartAsync(["--config", config, "-a", number], ["--socket", socketPath], cancellationToken: ct))
            {
                await WaitForContactAsync(daemon, alice, ct);
                await using var rpc = new StrictClient(await JsonRpcMockTests.ConnectAsync(socketPath, new TaskCompletionSource<int>().Task, daemon.Stderr));

                // The server unlinks the device: close 4401, then every login is refused with 403.
                var upgradesBefore = await AuthUpgradesAsync(mock, ct);
                await mock.SetFrontAsync(new JsonObject { ["rejectUpgrade"] = new JsonObject { ["status"] = 403, ["socket"] = "auth" } }, ct);
                await mock.CommandAsync("frontCloseSockets", new JsonObject { ["socket"] = "auth", ["code"] = 4401 }, ct);
                await WaitForAsync(() => daemon.Stderr.ToString().Contains("account stopped", StringComparison.Ordinal), daemon.Stderr, ct);
                Assert.Contains(LinkAgain, daemon.Stderr.ToString());
                // One reconnect, at once, met the 403 and ended it.
                Assert.Equal(upgradesBefore + 1, await AuthUpgradesAsync(mock, ct));

                var refused = await daemon.SendTextAsync(alice, "after the unlink", ct);
                Assert.Equal(-1, refused["statusCode"]!.GetValue<int>());
                Assert.Contains("HTTP 403", refused["errorMessage"]!.GetValue<string>());
                Assert.Contains(LinkAgain, refused["errorMessage"]!.GetValue<string>());
                // Still serving: the next command on the same connection is answered as usual.
                Assert.Equal(0, (await daemon.CommandAsync("{command:'receive_messages',timeout:100}", ct))["statusCode"]!.GetValue<int>());

                var error = await Assert.ThrowsAsync<RpcError>(() => rpc.CallAsync("send", new JsonObject { ["account"] = null, ["recipient"] = new JsonArray(alice), ["message"] = "after the unlink" }));
                Assert.Equal(-3, error.Code);
                Assert.Contains(LinkAgain, error.Message);
                Assert.Equal(0, await daemon.StopAsync());
            }

            // A one-shot command meets the 403 at login and tells the user to link again, with its own exit code.
            var challengeErr = new StringWriter();
            Assert.Equal(ExitCodes.AccountStopped,
                await CliApp.RunAsync(["--config", config, "-a", number, "submit-rate-limit-challenge", "token", "captcha"], new StringWriter(), challengeErr));
            Assert.Contains(LinkAgain, challengeErr.ToString());

            // This client refused (499) from the start: the daemon still serves and says so.
            await mock.CommandAsync("frontReset", null, ct);
            await mock.SetFrontAsync(new JsonObject { ["rejectUpgrade"] = new JsonObject { ["status"] = 499, ["socket"] = "auth" } }, ct);
            await using (var daemon = await Support.RunningDaemon.StartAsync(["--config", config, "-a", number], cancellationToken: ct))
            {
                var refused = await daemon.SendTextAsync(alice, "while refused", ct);
                Assert.Equal(-1, refused["statusCode"]!.GetValue<int>());
                Assert.Contains("HTTP 499", refused["errorMessage"]!.GetValue<string>());
                Assert.Contains(LinkAgain, refused["errorMessage"]!.GetValue<string>());
                // The log line is written by the account's stop, which may come just after the refused send's answer.
                await WaitForAsync(() => daemon.Stderr.ToString().Contains("account stopped", StringComparison.Ordinal), daemon.Stderr, ct);
                Assert.Equal(0, await daemon.StopAsync());
            }
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static async Task<int> AuthUpgradesAsync(MockServer mock, CancellationToken ct) =>
        (await mock.FrontStatsAsync(ct))["upgrades"]!.AsArray().Count(u => u!["kind"]?.GetValue<string>() == "auth");

    // Alice's number is known once the phone's contact sync arrived; until then a send names nobody.
    private static async Task WaitForContactAsync(Support.RunningDaemon daemon, string alice, CancellationToken ct)
    {
        while (true)
        {
            var sent = await daemon.SendTextAsync(alice, "before the unlink", ct);
            if (sent["statusCode"]!.GetValue<int>() == 0)
            {
                return;
            }

            Assert.Equal(2, sent["statusCode"]!.GetValue<int>());
            await Task.Delay(200, ct);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, StringWriter stderr, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "never happened; daemon stderr: " + stderr);
            await Task.Delay(50, ct);
        }
    }
}
