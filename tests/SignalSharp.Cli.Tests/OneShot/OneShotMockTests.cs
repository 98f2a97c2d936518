using System.Diagnostics;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Tests.Support;
using SignalSharp.Interop.Testing;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.Cli.Tests.OneShot;

/// <summary>
/// The built `signal-sharp -a NUMBER send` as its own process against Signal's mock server: through the running
/// daemon (whose JSON-RPC subscriber goes on receiving as before), then directly once the daemon stopped; Alice
/// decrypts both.
/// </summary>
public sealed class OneShotMockTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_one_shot_send_goes_through_the_daemon_and_without_one_runs_directly()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-oneshot-").FullName;
        try
        {
            var number = await JsonRpcMockTests.LinkAsync(mock, config, ct);
            var alice = mock.Contact("alice")["number"]!.GetValue<string>();
            var port = Loopback.FreePort();
            using var stop = new CancellationTokenSource();
            var stderr = new StringWriter();
            var daemon = CliApp.RunAsync(["--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{port}"], new StringWriter(), stderr,
                new CliServices(new StoredAccountOpener(), stop.Token));
            await using (var subscriber = new StrictClient(await Loopback.ConnectAsync(port, daemon, stderr)))
            {
                Assert.Equal("0.13.19", (string)(await subscriber.CallAsync("version"))!["version"]!);

                var (code, output, errors) = await RunBuiltAsync(ct, "--config", config, "-a", number, "send", "-m", "one-shot via the daemon", alice);
                Assert.True(code == 0, errors);
                var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
                Assert.Equal("one-shot via the daemon", atAlice["body"]!.GetValue<string>());
                Assert.Equal(output.Trim(), atAlice["timestamp"]!.ToString());

                // The subscriber (on-start mode: subscribed as it connected) still gets what arrives.
                await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "after the one-shot", ["timestamp"] = 1_700_000_000_777L }, ct);
                var notification = await subscriber.NextAutomaticReceiveAsync();
                Assert.Equal("after the one-shot", (string)notification["envelope"]!["dataMessage"]!["message"]!);
            }

            stop.Cancel();
            Assert.True(0 == await daemon.WaitAsync(ct), stderr.ToString());

            var direct = await RunBuiltAsync(ct, "--config", config, "-a", number, "send", "-m", "one-shot without a daemon", alice);
            Assert.True(direct.Code == 0, direct.Stderr);
            var second = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
            Assert.Equal("one-shot without a daemon", second["body"]!.GetValue<string>());
            Assert.Equal(direct.Stdout.Trim(), second["timestamp"]!.ToString());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunBuiltAsync(CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "signal-sharp.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout, await stderr);
    }
}
