using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Tests.Support;
using SignalSharp.Interop.Testing;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.Cli.Tests.OneShot;

/// <summary>
/// The group commands end to end against Signal's mock server: `joinGroup --uri` and `listGroups` on the command line
/// go through the running daemon's control socket (the account is never opened a second time) to its JSON-RPC front
/// end and the linked account; JSON-RPC `listGroups` on the daemon's TCP port answers the same group. The link the
/// listing shows is, byte for byte, the one the mock made with Signal's own proto.
/// </summary>
public sealed class GroupCommandsMockTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task JoinGroup_and_listGroups_go_through_the_daemon_to_the_group_server()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice,Bob", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-groupcli-").FullName;
        try
        {
            var number = await JsonRpcMockTests.LinkAsync(mock, config, ct);
            var port = Loopback.FreePort();
            using var stop = new CancellationTokenSource();
            var stderr = new StringWriter();
            var daemon = CliApp.RunAsync(["--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{port}", "--receive-mode", "manual"], new StringWriter(), stderr,
                new CliServices(new StoredAccountOpener(), stop.Token));
            await using (var client = new StrictClient(await Loopback.ConnectAsync(port, daemon, stderr)))
            {
                await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
                var group = await mock.CreateGroupAsync("Book club", ["bob"], by: "alice", storageSync: false, cancellationToken: ct);
                var (_, url) = await mock.SetGroupLinkAsAsync(group.MasterKey, "alice", approval: false, ct);

                var joined = await RunAsync(config, number, "joinGroup", "--uri", url);
                Assert.True(joined.Code == 0, joined.Stderr);
                var lines = joined.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal($"Joined group \"{group.GroupIdBase64}\"", lines[0]);
                var atAlice = await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct);
                Assert.Equal(ulong.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture), atAlice.Timestamp);

                var json = await RunAsync(config, number, "-o", "json", "listGroups", "-g", group.GroupIdBase64);
                Assert.True(json.Code == 0, json.Stderr);
                var listed = Assert.Single(JsonNode.Parse(json.Stdout)!.AsArray())!;
                Assert.Equal((group.GroupIdBase64, "Book club", true), ((string)listed["id"]!, (string)listed["name"]!, (bool)listed["isMember"]!));
                Assert.Equal(url, (string)listed["groupInviteLink"]!);
                var alice = mock.Contact("alice")["aci"]!.GetValue<string>();
                Assert.Contains(listed["members"]!.AsArray(), m => (string)m!["uuid"]! == alice && (bool)m["isAdmin"]!);
                Assert.Equal(3, listed["members"]!.AsArray().Count);

                var text = await RunAsync(config, number, "listGroups", "--detailed");
                Assert.True(text.Code == 0, text.Stderr);
                Assert.StartsWith($"Id: {group.GroupIdBase64} Name: Book club Description: null Active: true Blocked: false Members: [", text.Stdout, StringComparison.Ordinal);
                Assert.EndsWith($" Link: {url}\n", text.Stdout, StringComparison.Ordinal);

                var viaRpc = (await client.CallAsync("listGroups"))!.AsArray();
                Assert.Equal(listed.ToJsonString(), Assert.Single(viaRpc)!.ToJsonString());

                var bad = await RunAsync(config, number, "joinGroup", "--uri", "https://signal.group/#AAAA");
                Assert.NotEqual(0, bad.Code);
                Assert.Contains("Group link is invalid", bad.Stderr, StringComparison.Ordinal);
            }

            stop.Cancel();
            Assert.True(0 == await daemon.WaitAsync(ct), stderr.ToString());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string config, string number, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["--config", config, "-a", number, .. args], stdout, stderr, new CliServices(new RefusingOpener(), CancellationToken.None));
        return (code, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
    }

    private sealed class RefusingOpener : IAccountOpener
    {
        public Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the account was opened although a daemon serves it");
    }
}
