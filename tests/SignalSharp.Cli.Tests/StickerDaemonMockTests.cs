using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Tests.Support;
using SignalSharp.Interop.Testing;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// Stickers and link previews through every front end of one running daemon against Signal's mock server: the
/// command line installs a pack (through the daemon's control socket) and lists it, JSON-RPC `send` and the TCP
/// protocol's send_message each send one of its stickers, send_message sends a link preview; the mock's Alice
/// decrypts each and fetches the images.
/// </summary>
public sealed class StickerDaemonMockTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_pack_installed_on_the_command_line_is_sent_over_json_rpc_and_tcp_and_a_preview_over_tcp()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-stickercli-").FullName;
        try
        {
            var number = await JsonRpcMockTests.LinkAsync(mock, config, ct);
            var alice = mock.Contact("alice")["aci"]!.GetValue<string>();
            byte[][] images = [RandomNumberGenerator.GetBytes(500), RandomNumberGenerator.GetBytes(600)];
            var pack = (await mock.CommandAsync("storeStickerPack", new JsonObject
            {
                ["title"] = "Birds", ["author"] = "Alice",
                ["stickers"] = new JsonArray(
                    new JsonObject { ["emoji"] = "🐦", ["dataBase64"] = Convert.ToBase64String(images[0]) },
                    new JsonObject { ["emoji"] = "🦉", ["dataBase64"] = Convert.ToBase64String(images[1]) }),
            }, ct))!;
            var packId = (string)pack["packId"]!;
            var link = (string)pack["link"]!;

            var port = Loopback.FreePort();
            using var stop = new CancellationTokenSource();
            var stderr = new StringWriter();
            var daemon = CliApp.RunAsync(["--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{port}", "--receive-mode", "manual"], new StringWriter(), stderr,
                new CliServices(new StoredAccountOpener(), stop.Token));
            await using (var rpc = new StrictClient(await Loopback.ConnectAsync(port, daemon, stderr)))
            using (var tcp = new StreamReader(await Loopback.ConnectAsync(port, daemon, stderr), Encoding.UTF8))
            {
                var added = await RunAsync(config, number, "addStickerPack", "--uri", link);
                Assert.True(added.Code == 0, added.Stderr);
                var listed = await RunAsync(config, number, "listStickerPacks");
                Assert.Equal($"Pack {packId}: “Birds” by “Alice” has 2 stickers. {link}\n", listed.Stdout);

                var viaRpc = (await rpc.CallAsync("send", new JsonObject { ["recipient"] = alice, ["sticker"] = $"{packId}:1" }))!;
                var first = (await mock.CommandAsync("waitForStickerMessage", new JsonObject { ["at"] = "alice" }, ct))!;
                Assert.Equal(viaRpc["timestamp"]!.ToJsonString(), (string)first["timestamp"]!);
                AssertSticker(first, packId, (string)pack["packKey"]!, 1, "🦉", images[1]);

                var viaTcp = await AskAsync(tcp, $$$"""{"command":"send_message","recipient":"{{{alice}}}","dataMessage":{"sticker":"{{{packId}}}:0"}}""", ct);
                Assert.True((int)viaTcp["statusCode"]! == 0, viaTcp.ToJsonString());
                var second = (await mock.CommandAsync("waitForStickerMessage", new JsonObject { ["at"] = "alice" }, ct))!;
                AssertSticker(second, packId, (string)pack["packKey"]!, 0, "🐦", images[0]);

                var preview = await AskAsync(tcp, """
                    {"command":"send_message","recipient":"ALICE","dataMessage":{"message":"see https://signal.org",
                     "preview":{"url":"https://signal.org","title":"Signal","description":"Speak freely","image":{"base64Data":"AQIDBA==","contentType":"image/png"}}}}
                    """.ReplaceLineEndings("").Replace("ALICE", alice, StringComparison.Ordinal), ct);
                Assert.True((int)preview["statusCode"]! == 0, preview.ToJsonString());
                var shown = (await mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "alice" }, ct))!["dataMessage"]!["preview"]![0]!;
                Assert.Equal(("https://signal.org", "Signal", "Speak freely"), ((string)shown["url"]!, (string)shown["title"]!, (string)shown["description"]!));
                Assert.Equal((4, "image/png"), ((int)shown["image"]!["size"]!, (string)shown["image"]!["contentType"]!));

                var unknown = await Assert.ThrowsAsync<RpcError>(() => rpc.CallAsync("send", new JsonObject
                {
                    ["recipient"] = alice, ["sticker"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + ":0",
                }));
                Assert.Equal((-1, "Failed to send sticker: Sticker pack not found"), (unknown.Code, unknown.Message));
                var notInPack = await AskAsync(tcp, $$$"""{"command":"send_message","recipient":"{{{alice}}}","dataMessage":{"sticker":"{{{packId}}}:9"}}""", ct);
                Assert.Equal(-1, (int)notInPack["statusCode"]!);
                Assert.Equal("Failed to send sticker: Sticker id not part of this pack", (string)notInPack["errorMessage"]!);
            }

            stop.Cancel();
            Assert.True(0 == await daemon.WaitAsync(ct), stderr.ToString());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static void AssertSticker(JsonNode received, string packId, string packKey, int stickerId, string emoji, byte[] image)
    {
        var sticker = received["sticker"]!;
        Assert.Equal((packId, packKey, stickerId, emoji), ((string)sticker["packId"]!, (string)sticker["packKey"]!, (int)sticker["stickerId"]!, (string)sticker["emoji"]!));
        Assert.Null(received["image"]!["error"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(image)), (string)received["image"]!["sha256"]!);
    }

    private static async Task<JsonNode> AskAsync(StreamReader connection, string line, CancellationToken ct)
    {
        await connection.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
        return JsonNode.Parse((await connection.ReadLineAsync(ct))!)!;
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
