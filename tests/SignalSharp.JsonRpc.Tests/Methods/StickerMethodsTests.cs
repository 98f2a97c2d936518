using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

/// <summary>Stickers by signal-cli's names: send's <c>sticker</c>, addStickerPack and listStickerPacks.</summary>
public sealed class StickerMethodsTests
{
    private const string PackId = "0123456789abcdef0123456789abcdef";
    private static readonly string PackKey = string.Concat(Enumerable.Repeat("ab", 32));

    [Fact]
    public async Task Send_takes_a_sticker_as_pack_id_and_sticker_id_and_needs_no_text()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"send","params":{"recipient":"+4366412345678","sticker":"{{PackId.ToUpperInvariant()}}:7"},"id":1}"""));

        Assert.True(answer.ContainsKey("result"), answer.ToJsonString());
        var message = Assert.Single(harness.Fake.SentMessages).Message;
        Assert.Equal(new OutgoingSticker(PackId, 7), message.Sticker);
        Assert.Null(message.Text);
    }

    [Fact]
    public async Task AddStickerPack_installs_the_uri_and_listStickerPacks_shows_it_in_signal_clis_shape()
    {
        await using var harness = new Harness();
        var link = $"https://signal.art/addstickers/#pack_id={PackId}&pack_key={PackKey}";
        var added = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"addStickerPack","params":{"uri":"{{link}}"},"id":1}"""));
        var listed = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"listStickerPacks","id":2}"""));

        Assert.True(added.ContainsKey("result"), added.ToJsonString());
        Assert.Equal([link], harness.Fake.FakeStickers.Links);
        var pack = Assert.Single(listed["result"]!.AsArray())!;
        Assert.Equal(PackId, (string)pack["packId"]!);
        Assert.Equal(link, (string)pack["url"]!);
        Assert.True((bool)pack["installed"]!);
        Assert.Equal(("Cats", "Alice"), ((string)pack["title"]!, (string)pack["author"]!));
        Assert.Equal("😺", (string)pack["cover"]!["emoji"]!);
        var stickers = pack["stickers"]!.AsArray();
        Assert.Equal([0, 1], stickers.Select(s => (int)s!["id"]!));
        Assert.Equal("image/webp", (string)stickers[0]!["contentType"]!);
        Assert.Null(stickers[1]!["contentType"]);
    }

    [Theory]
    [InlineData("""{"uri":"https://example.com/addstickers/#pack_id=00&pack_key=11"}""", -1, "Invalid sticker pack link")]
    [InlineData("""{}""", -32602, "uri")]
    public async Task A_bad_addStickerPack_is_refused(string parameters, int code, string expected)
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"addStickerPack","params":{{parameters}},"id":1}"""))["error"]!;

        Assert.Equal(code, (int)error["code"]!);
        Assert.Contains(expected, (string)error["message"]!, StringComparison.Ordinal);
    }
}
