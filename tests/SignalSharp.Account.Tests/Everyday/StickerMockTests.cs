using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.Everyday;

/// <summary>
/// Sticker packs against the mock's sticker CDN: the harness seals a pack as Signal's sticker creator does (Node's
/// crypto, Signal's protos), the account installs it by its link and sends one of its stickers, and the mock's Alice
/// decrypts the message and the sticker image it points to.
/// </summary>
public sealed class StickerMockTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
    private async Task<JsonNode> StorePackAsync(string title, byte[][] images, string[] emoji, CancellationToken ct)
    {
        var stickers = new JsonArray();
        for (var i = 0; i < images.Length; i++)
        {
            stickers.Add(new JsonObject { ["emoji"] = emoji[i], ["dataBase64"] = Convert.ToBase64String(images[i]) });
        }

        return (await mock.Linked.Mock.CommandAsync("storeStickerPack", new JsonObject
        {
            ["title"] = title, ["author"] = "Alice", ["coverId"] = 1, ["stickers"] = stickers,
        }, ct))!;
    }

    [Fact]
    public async Task An_installed_packs_sticker_reaches_the_contact_with_its_ids_emoji_and_image()
    {
        var ct = Timeout();
        byte[][] images = [RandomNumberGenerator.GetBytes(700), RandomNumberGenerator.GetBytes(900)];
        var pack = await StorePackAsync("Cats", images, ["😺", "🐈"], ct);
        var packId = (string)pack["packId"]!;

        var installed = await mock.Linked.Account.Stickers.AddStickerPackAsync((string)pack["link"]!, ct);
        Assert.Equal((packId, (string)pack["packKey"]!, true), (installed.PackId, installed.PackKey, installed.Installed));
        Assert.Equal(("Cats", "Alice"), (installed.Title, installed.Author));
        Assert.Equal([(0, "😺"), (1, "🐈")], installed.Stickers.Select(s => (s.Id, s.Emoji)));
        Assert.Equal(1, installed.Cover?.Id);
        Assert.Contains(await mock.Linked.Account.Stickers.ListStickerPacksAsync(ct), p => p.PackId == packId && p.Installed && p.Title == "Cats");

        var sent = await mock.Linked.Account.SendMessageAsync(new RecipientTarget(Address(mock.NumberOf("alice"))),
            new OutgoingMessage(null, []) { Sticker = new OutgoingSticker(packId, 1) }, ct);
        var received = (await mock.Linked.Mock.CommandAsync("waitForStickerMessage", new JsonObject { ["at"] = "alice" }, ct))!;

        Assert.Equal(sent.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)received["timestamp"]!);
        var sticker = received["sticker"]!;
        Assert.Equal(packId, (string)sticker["packId"]!);
        Assert.Equal((string)pack["packKey"]!, (string)sticker["packKey"]!);
        Assert.Equal(1, (int)sticker["stickerId"]!);
        Assert.Equal("🐈", (string)sticker["emoji"]!);
        var image = received["image"]!;
        Assert.Null(image["error"]);
        Assert.Equal("image/webp", (string)image["contentType"]!);
        Assert.Equal(images[1].Length, (int)image["size"]!);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(images[1])), (string)image["sha256"]!);
    }

    [Fact]
    public async Task A_sticker_from_an_unknown_pack_or_not_in_its_pack_is_refused_with_signal_clis_text()
    {
        var ct = Timeout();
        var alice = new RecipientTarget(Address(mock.NumberOf("alice")));
        var unknown = await Assert.ThrowsAsync<InvalidStickerException>(() => mock.Linked.Account.SendMessageAsync(alice,
            new OutgoingMessage(null, []) { Sticker = new OutgoingSticker(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), 0) }, ct));
        Assert.Equal("Failed to send sticker: Sticker pack not found", unknown.Message);

        var pack = await StorePackAsync("One", [RandomNumberGenerator.GetBytes(100)], ["🙂"], ct);
        await mock.Linked.Account.Stickers.AddStickerPackAsync((string)pack["link"]!, ct);
        var missing = await Assert.ThrowsAsync<InvalidStickerException>(() => mock.Linked.Account.SendMessageAsync(alice,
            new OutgoingMessage(null, []) { Sticker = new OutgoingSticker((string)pack["packId"]!, 5) }, ct));
        Assert.Equal("Failed to send sticker: Sticker id not part of this pack", missing.Message);
    }

    [Fact]
    public async Task A_link_with_the_wrong_key_or_an_unknown_pack_or_no_pack_at_all_is_a_clear_error_and_installs_nothing()
    {
        var ct = Timeout();
        var pack = await StorePackAsync("Locked", [RandomNumberGenerator.GetBytes(100)], ["🔒"], ct);
        var packId = (string)pack["packId"]!;
        var wrongKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        var badKey = await Assert.ThrowsAsync<StickerPackUnavailableException>(() =>
            mock.Linked.Account.Stickers.AddStickerPackAsync($"https://signal.art/addstickers/#pack_id={packId}&pack_key={wrongKey}", ct));
        Assert.Contains("pack key does not open it", badKey.Message, StringComparison.Ordinal);

        var nowhere = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var absent = await Assert.ThrowsAsync<StickerPackUnavailableException>(() =>
            mock.Linked.Account.Stickers.AddStickerPackAsync($"https://signal.art/addstickers/#pack_id={nowhere}&pack_key={wrongKey}", ct));
        Assert.Contains("no such pack", absent.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<InvalidStickerPackLinkException>(() =>
            mock.Linked.Account.Stickers.AddStickerPackAsync($"https://signal.art/addstickers/#pack_id={packId}", ct));
        var packs = await mock.Linked.Account.Stickers.ListStickerPacksAsync(ct);
        Assert.DoesNotContain(packs, p => p.PackId == packId || p.PackId == nowhere);
    }

    [Fact]
    public async Task A_pack_named_by_a_received_sticker_is_remembered_and_its_stickers_can_be_sent_back()
    {
        var ct = Timeout();
        byte[][] images = [RandomNumberGenerator.GetBytes(300), RandomNumberGenerator.GetBytes(400)];
        var pack = await StorePackAsync("Dogs", images, ["🐶", "🐕"], ct);
        var packId = (string)pack["packId"]!;
        var pointer = await mock.UploadAsync(images[0], "image/webp", null, ct);
        var timestamp = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject
        {
            ["timestamp"] = U64(timestamp),
            ["sticker"] = new JsonObject
            {
                ["packId"] = Bytes(Convert.FromHexString(packId)), ["packKey"] = Bytes(Convert.FromHexString((string)pack["packKey"]!)),
                ["stickerId"] = 0, ["emoji"] = "🐶", ["data"] = pointer,
            },
        }), timestamp, ct);
        await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == timestamp, ct);

        var seen = Assert.Single(await mock.Linked.Account.Stickers.ListStickerPacksAsync(ct), p => p.PackId == packId);
        Assert.False(seen.Installed);
        Assert.Equal((string)pack["packKey"]!, seen.PackKey);

        await mock.Linked.Account.SendMessageAsync(new RecipientTarget(Address(mock.NumberOf("alice"))),
            new OutgoingMessage(null, []) { Sticker = new OutgoingSticker(packId, 1) }, ct);
        var received = (await mock.Linked.Mock.CommandAsync("waitForStickerMessage", new JsonObject { ["at"] = "alice" }, ct))!;
        Assert.Equal(("🐕", 1), ((string)received["sticker"]!["emoji"]!, (int)received["sticker"]!["stickerId"]!));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(images[1])), (string)received["image"]!["sha256"]!);
        var fetched = Assert.Single(await mock.Linked.Account.Stickers.ListStickerPacksAsync(ct), p => p.PackId == packId);
        Assert.Equal(("Dogs", false), (fetched.Title, fetched.Installed));
    }

    [Fact]
    public async Task A_pack_the_phone_installed_is_installed_here_too()
    {
        var ct = Timeout();
        var pack = await StorePackAsync("Synced", [RandomNumberGenerator.GetBytes(100)], ["🔁"], ct);
        var packId = (string)pack["packId"]!;
        var timestamp = mock.NextTimestamp();
        await mock.SendAsync("phone", new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["syncMessage"] = new JsonObject
                {
                    ["stickerPackOperation"] = new JsonArray(new JsonObject
                    {
                        ["packId"] = Bytes(Convert.FromHexString(packId)), ["packKey"] = Bytes(Convert.FromHexString((string)pack["packKey"]!)), ["type"] = 0,
                    }),
                },
            },
        }, timestamp, ct);

        StickerPackSummary? synced = null;
        while (synced is null)
        {
            await Task.Delay(100, ct);
            synced = (await mock.Linked.Account.Stickers.ListStickerPacksAsync(ct)).FirstOrDefault(p => p.PackId == packId);
        }

        Assert.True(synced.Installed);
    }
}
