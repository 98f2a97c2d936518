using System.Diagnostics;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// The third-party client signal-sdk 0.0.6 (npm, pinned in interop/jsonrpc-clients), unchanged, spawns a
/// `signal-cli`-named launcher that runs `signal-sharp ... -a ACCOUNT jsonRpc`: it sends to Alice on the mock server
/// and gets her message as a receive notification.
/// </summary>
public sealed class SignalSdkMockTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Signal_sdk_sends_to_alice_and_receives_her_message_through_a_signal_cli_launcher()
    {
        var clients = Path.Combine(InteropPaths.InteropDirectory, "jsonrpc-clients");

        // The install has a budget of its own: on a loaded CI machine `npm ci` alone took most of a shared one.
        using (var install = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            await EnsureInstalledAsync(clients, install.Token);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-sdk-").FullName;
        try
        {
            var number = await JsonRpcMockTests.LinkAsync(mock, config, ct);
            var launcher = Path.Combine(config, "bin", "signal-cli");
            Directory.CreateDirectory(Path.GetDirectoryName(launcher)!);
            var program = Path.Combine(AppContext.BaseDirectory, "signal-sharp.dll");
            await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec dotnet '{program}' --config '{config}' \"$@\"\n", ct);
            File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var alice = mock.Contact("alice");
            var aliceAci = alice["aci"]!.GetValue<string>();

            var start = new ProcessStartInfo("node") { WorkingDirectory = clients, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "signal-sdk-roundtrip.mjs", launcher, number, aliceAci })
            {
                start.ArgumentList.Add(arg);
            }

            using var node = Process.Start(start)!;
            var stderr = node.StandardError.ReadToEndAsync(ct);
            try
            {
                var version = await NextStepAsync(node, ct);
                Assert.Equal("version", (string)version["step"]!);
                Assert.Equal("0.13.19", (string)version["result"]!["version"]!);

                var sent = await NextStepAsync(node, ct);
                Assert.Equal("sent", (string)sent["step"]!);
                Assert.Equal("SUCCESS", (string)sent["result"]!["results"]![0]!["type"]!);
                var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
                Assert.Equal("hi from signal-sdk", atAlice["body"]!.GetValue<string>());
                Assert.Equal(sent["result"]!["timestamp"]!.ToString(), atAlice["timestamp"]!.ToString());

                await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "echo from alice", ["timestamp"] = 1_700_000_000_777L }, ct);
                using var messageWait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                messageWait.CancelAfter(TimeSpan.FromSeconds(60));
                JsonObject message;
                try
                {
                    message = await NextStepAsync(node, messageWait.Token);
                }
                catch (OperationCanceledException)
                {
                    node.Kill(entireProcessTree: true);
                    Assert.Fail("no message step; client stderr:\n" + await stderr);
                    throw;
                }

                Assert.Equal("message", (string)message["step"]!);
                Assert.Equal(number, (string)message["params"]!["account"]!);
                var envelope = message["params"]!["envelope"]!;
                Assert.Equal(aliceAci, (string)envelope["sourceUuid"]!);
                Assert.Equal(1_700_000_000_777L, (long)envelope["timestamp"]!);
                Assert.Equal("echo from alice", (string)envelope["dataMessage"]!["message"]!);

                Assert.Equal("closed", (string)(await NextStepAsync(node, ct))["step"]!);
                await node.WaitForExitAsync(ct);
                Assert.True(node.ExitCode == 0, await stderr);
            }
            finally
            {
                if (!node.HasExited)
                {
                    node.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static async Task<JsonObject> NextStepAsync(Process node, CancellationToken ct)
    {
        var line = await node.StandardOutput.ReadLineAsync(ct);
        Assert.True(line is not null, "the client ended early");
        var step = JsonNode.Parse(line)!.AsObject();
        Assert.NotEqual("error", (string)step["step"]!);
        return step;
    }

    /// <summary>The pinned client, installed from its lock file without running its install scripts (they download signal-cli).</summary>
    private static async Task EnsureInstalledAsync(string folder, CancellationToken ct)
    {
        if (File.Exists(Path.Combine(folder, "node_modules", "signal-sdk", "package.json")))
        {
            return;
        }

        var start = new ProcessStartInfo("npm") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "ci", "--ignore-scripts", "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(arg);
        }

        using var npm = Process.Start(start)!;
        var output = npm.StandardError.ReadToEndAsync(ct);
        await npm.StandardOutput.ReadToEndAsync(ct);
        await npm.WaitForExitAsync(ct);
        Assert.True(npm.ExitCode == 0, await output);
    }
}
