using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Cli.Tests.Support;

namespace SignalSharp.Cli.Tests;

/// <summary>signal-cli's sticker commands and flag: send --sticker, addStickerPack --uri, listStickerPacks.</summary>
public sealed class StickerCommandsTests
{
    private const string Number = "+4366412345678";

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(OneAccount account, TempConfig config, params string[] args) =>
        OneShotRun.RunAsync(account, config, Number, args);

    [Fact]
    public async Task Send_takes_a_sticker_as_pack_id_and_sticker_id()
    {
        var account = new OneAccount();
        using var config = new TempConfig();
        var (code, stdout, stderr) = await RunAsync(account, config, "send", "--sticker", "0123456789abcdef0123456789abcdef:3", Number);

        Assert.True(code == 0, stderr);
        Assert.Equal("42", stdout);
        Assert.Equal(new OutgoingSticker("0123456789abcdef0123456789abcdef", 3), account.LastMessage!.Sticker);
    }

    [Fact]
    public async Task A_malformed_sticker_fails_with_signal_clis_text_and_sends_nothing()
    {
        var account = new OneAccount();
        using var config = new TempConfig();
        var (code, _, stderr) = await RunAsync(account, config, "send", "--sticker", "cat:3", Number);

        Assert.NotEqual(0, code);
        Assert.Contains("Invalid sticker syntax (cat:3) expected 'stickerPackId:stickerId'", stderr, StringComparison.Ordinal);
        Assert.Null(account.LastMessage);
    }

    [Fact]
    public async Task AddStickerPack_installs_each_uri_and_a_bad_one_fails()
    {
        var account = new OneAccount();
        using var config = new TempConfig();
        var link = "https://signal.art/addstickers/#pack_id=" + new string('a', 32) + "&pack_key=" + new string('b', 64);

        var (code, _, stderr) = await RunAsync(account, config, "addStickerPack", "--uri", link);
        Assert.True(code == 0, stderr);
        Assert.Equal([link], account.StickerLinks);

        var (badCode, _, badError) = await RunAsync(account, config, "addStickerPack", "--uri", "https://example.com/");
        Assert.NotEqual(0, badCode);
        Assert.Contains("Invalid sticker pack link", badError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListStickerPacks_prints_signal_clis_line_or_the_json_list()
    {
        var account = new OneAccount();
        using var config = new TempConfig();
        var url = "https://signal.art/addstickers/#pack_id=" + new string('a', 32) + "&pack_key=" + new string('b', 64);

        var (code, stdout, stderr) = await RunAsync(account, config, "listStickerPacks");
        Assert.True(code == 0, stderr);
        Assert.Equal($"Pack {new string('a', 32)}: “Cats” by “Alice” has 1 stickers. {url}", stdout);

        var (jsonCode, json, jsonError) = await RunAsync(account, config, "-o", "json", "listStickerPacks");
        Assert.True(jsonCode == 0, jsonError);
        var pack = Assert.Single(JsonNode.Parse(json)!.AsArray())!;
        Assert.Equal((new string('a', 32), url, true), ((string)pack["packId"]!, (string)pack["url"]!, (bool)pack["installed"]!));
        Assert.Equal("😺", (string)pack["stickers"]![0]!["emoji"]!);
    }
}
