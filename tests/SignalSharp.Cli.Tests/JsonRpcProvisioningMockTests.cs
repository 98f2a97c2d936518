using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Accounts;
using SignalSharp.Interop.Testing;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// Against Signal's mock server: a multi-account daemon that starts with no account makes them over JSON-RPC, as
/// signal-cli's does: startLink gives the URI the mock phone scans, finishLink links and serves the account at once
/// (it sends, and the open connection's subscription receives for it); register and verify make a primary account.
/// </summary>
public sealed class JsonRpcProvisioningMockTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_daemon_started_without_accounts_links_and_registers_them_over_json_rpc_and_serves_them_at_once()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-provision-").FullName;
        try
        {
            var profile = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profile);
            var socketPath = Path.Combine(config, "run", "socket");
            using var stop = new CancellationTokenSource();
            var daemonErr = new StringWriter();
            var daemon = CliApp.RunAsync(["--config", config, "daemon", "--socket", socketPath, "--server", profile], new StringWriter(), daemonErr,
                new CliServices(new StoredAccountOpener(), stop.Token));
            await using (var client = new StrictClient(await JsonRpcMockTests.ConnectAsync(socketPath, daemon, daemonErr)))
            {
                Assert.Contains("startLink", daemonErr.ToString());
                Assert.Empty((await client.CallAsync("listAccounts"))!.AsArray());

                // startLink: the URI for the phone; the mock phone scans it while finishLink waits.
                var uri = (string)(await client.CallAsync("startLink"))!["deviceLinkUri"]!;
                Assert.StartsWith("sgnl://linkdevice?", uri, StringComparison.Ordinal);
                var phone = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri, ["primary"] = "phone" }, ct);
                var linked = await client.CallAsync("finishLink", new JsonObject { ["deviceLinkUri"] = uri, ["deviceName"] = "made over json-rpc" });
                await phone.WaitAsync(ct);
                var number = mock.Phone["number"]!.GetValue<string>();
                Assert.Equal(number, (string)linked!["number"]!);
                Assert.Equal([number], (await client.CallAsync("listAccounts"))!.AsArray().Select(a => (string)a!["number"]!));
                Assert.True(File.Exists(SignalSharp.Cli.OneShot.ControlSocket.PathFor(config, number)), "one-shot commands find the new account's daemon");

                // A URI no startLink gave (or one already finished) is the user's error.
                var unknown = await Assert.ThrowsAsync<RpcError>(() => client.CallAsync("finishLink", new JsonObject { ["deviceLinkUri"] = uri }));
                Assert.Equal((-1, "Unknown device link uri."), (unknown.Code, unknown.Message));

                // Served at once: it sends, and this connection's subscription (opened before the account existed) receives for it.
                var aliceAci = mock.Contact("alice")["aci"]!.GetValue<string>();
                var sent = await client.CallAsync("send", new JsonObject { ["account"] = number, ["recipient"] = aliceAci, ["message"] = "linked a minute ago" });
                Assert.Equal("SUCCESS", (string)sent!["results"]![0]!["type"]!);
                Assert.Equal("linked a minute ago", (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!["body"]!.GetValue<string>());
                await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "welcome, new device" }, ct);
                JsonObject received;
                do
                {
                    received = await client.NextAutomaticReceiveAsync();
                }
                while (received["envelope"]!["dataMessage"]?["message"] is null);

                Assert.Equal(number, (string)received["account"]!);
                Assert.Equal("welcome, new device", (string)received["envelope"]!["dataMessage"]!["message"]!);

                // register and verify make a primary account, served at once too.
                var registered = "+1555" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
                var notANumber = await Assert.ThrowsAsync<RpcError>(() => client.CallAsync("register", new JsonObject { ["account"] = "0664 123" }));
                Assert.Equal(-1, notANumber.Code);
                Assert.Equal(new JsonObject(), await client.CallAsync("register", new JsonObject { ["account"] = registered, ["captcha"] = "signal-hcaptcha.test" }), JsonNode.DeepEquals);
                var wrong = await Assert.ThrowsAsync<RpcError>(() => client.CallAsync("verify", new JsonObject { ["account"] = registered, ["verificationCode"] = "000000" }));
                Assert.Equal(-1, wrong.Code);
                Assert.Contains("wrong", wrong.Message, StringComparison.Ordinal);
                var code = mock.Ready["verificationCode"]!.GetValue<string>();
                Assert.Equal(new JsonObject(), await client.CallAsync("verify", new JsonObject { ["account"] = registered, ["verificationCode"] = code }), JsonNode.DeepEquals);
                Assert.Equal(new[] { number, registered }.Order(StringComparer.Ordinal),
                    (await client.CallAsync("listAccounts"))!.AsArray().Select(a => (string)a!["number"]!).Order(StringComparer.Ordinal));
                var fromNew = await client.CallAsync("send", new JsonObject { ["account"] = registered, ["recipient"] = aliceAci, ["message"] = "from a new number" });
                Assert.Equal("SUCCESS", (string)fromNew!["results"]![0]!["type"]!);
                Assert.Equal("from a new number", (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!["body"]!.GetValue<string>());
            }

            stop.Cancel();
            Assert.True(0 == await daemon.WaitAsync(ct), daemonErr.ToString());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }
}
