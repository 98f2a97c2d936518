using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Accounts;
using SignalSharp.Interop.Testing;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// Against Signal's mock server: `daemon` without -a serves every account in the config directory (signal-cli's
/// multi-account mode), and a send to several recipients uploads its attachment once.
/// </summary>
public sealed class JsonRpcMultiAccountMockTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Without_an_account_the_daemon_serves_every_linked_account_and_requests_name_theirs()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-multi-").FullName;
        try
        {
            var phone = await JsonRpcMockTests.LinkAsync(mock, config, ct);
            var alice = await JsonRpcMockTests.LinkAsync(mock, config, ct, primary: "alice");
            var socketPath = Path.Combine(config, "run", "socket");
            using var stop = new CancellationTokenSource();
            var daemonErr = new StringWriter();
            var daemon = CliApp.RunAsync(["--config", config, "daemon", "--socket", socketPath], new StringWriter(), daemonErr,
                new CliServices(new StoredAccountOpener(), stop.Token));
            await using (var client = new StrictClient(await JsonRpcMockTests.ConnectAsync(socketPath, daemon, daemonErr)))
            {
                var accounts = (await client.CallAsync("listAccounts"))!.AsArray().Select(a => (string)a!["number"]!).Order(StringComparer.Ordinal);
                Assert.Equal(new[] { phone, alice }.Order(StringComparer.Ordinal), accounts);

                var missing = await Assert.ThrowsAsync<RpcError>(() => client.CallAsync("send", new JsonObject { ["recipient"] = alice, ["message"] = "no account" }));
                Assert.Equal((-32602, "Method requires valid account parameter"), (missing.Code, missing.Message));
                var unknown = await Assert.ThrowsAsync<RpcError>(() =>
                    client.CallAsync("send", new JsonObject { ["account"] = "+4366499999999", ["recipient"] = alice, ["message"] = "x" }));
                Assert.Equal((-32602, "Specified account does not exist"), (unknown.Code, unknown.Message));

                // The phone's account writes to Alice; her own linked account, served by the same daemon, receives it.
                var aliceAci = mock.Contact("alice")["aci"]!.GetValue<string>();
                var sent = await client.CallAsync("send", new JsonObject { ["account"] = phone, ["recipient"] = aliceAci, ["message"] = "from one account to another" });
                Assert.Equal("SUCCESS", (string)sent!["results"]![0]!["type"]!);
                var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
                Assert.Equal("from one account to another", atAlice["body"]!.GetValue<string>());

                JsonObject received;
                do
                {
                    received = await client.NextAutomaticReceiveAsync();
                }
                while (received["envelope"]!["dataMessage"]?["message"] is null);

                Assert.Equal(alice, (string)received["account"]!);
                Assert.Equal(mock.Phone["aci"]!.GetValue<string>(), (string)received["envelope"]!["sourceUuid"]!);
                Assert.Equal("from one account to another", (string)received["envelope"]!["dataMessage"]!["message"]!);
            }

            stop.Cancel();
            Assert.True(0 == await daemon.WaitAsync(ct), daemonErr.ToString());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_send_to_two_recipients_uploads_its_attachment_once_and_both_open_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice,Bob", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-upload-").FullName;
        try
        {
            var number = await JsonRpcMockTests.LinkAsync(mock, config, ct);
            var socketPath = Path.Combine(config, "run", "socket");
            using var stop = new CancellationTokenSource();
            var daemonErr = new StringWriter();
            var daemon = CliApp.RunAsync(["--config", config, "-a", number, "daemon", "--socket", socketPath, "--receive-mode", "manual"], new StringWriter(), daemonErr,
                new CliServices(new StoredAccountOpener(), stop.Token));
            var content = Encoding.UTF8.GetBytes("one upload for everyone");
            await using (var client = new StrictClient(await JsonRpcMockTests.ConnectAsync(socketPath, daemon, daemonErr)))
            {
                var sent = await client.CallAsync("send", new JsonObject
                {
                    ["recipient"] = new JsonArray(mock.Contact("alice")["aci"]!.GetValue<string>(), mock.Contact("bob")["aci"]!.GetValue<string>()),
                    ["message"] = "for both",
                    ["attachment"] = $"data:text/plain;filename=note.txt;base64,{Convert.ToBase64String(content)}",
                });
                Assert.All(sent!["results"]!.AsArray(), r => Assert.Equal("SUCCESS", (string)r!["type"]!));
            }

            var atAlice = Assert.Single((await mock.WaitForAttachmentMessageAsync("alice", cancellationToken: ct))["attachments"]!.AsArray())!;
            var atBob = Assert.Single((await mock.WaitForAttachmentMessageAsync("bob", cancellationToken: ct))["attachments"]!.AsArray())!;
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
            Assert.Null(atAlice["error"]);
            Assert.Null(atBob["error"]);
            Assert.Equal(sha256, (string)atAlice["sha256"]!);
            Assert.Equal(sha256, (string)atBob["sha256"]!);
            // One blob on the CDN: both pointers name it (a second upload would have its own key and name).
            Assert.Equal((string)atAlice["cdnKey"]!, (string)atBob["cdnKey"]!);

            stop.Cancel();
            Assert.True(0 == await daemon.WaitAsync(ct), daemonErr.ToString());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }
}
