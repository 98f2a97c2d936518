using SignalSharp.Store.Stickers;

namespace SignalSharp.Store.Tests.Stickers;

/// <summary>Sticker packs: installed with their manifest, remembered from a received sticker, flags from a sync.</summary>
public sealed class StickerPackStoreTests
{
    private static readonly byte[] PackId = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];
    private static readonly byte[] PackKey = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];

    [Fact]
    public async Task An_installed_pack_comes_back_with_its_manifest_and_stickers()
    {
        await using var t = await TestDatabase.OpenAsync();
        var pack = new StickerPackRecord(PackId, PackKey, true, "Cats", "Alice", 1,
            [new StoredSticker(0, "😺", "image/webp"), new StoredSticker(1, "🐈", null)]);

        await t.Db.StickerPacks.SaveAsync(pack, installed: true);
        var stored = await t.Db.StickerPacks.GetAsync(PackId);

        Assert.NotNull(stored);
        Assert.True(stored.Installed);
        Assert.True(stored.HasManifest);
        Assert.Equal(("Cats", "Alice", 1), (stored.Title, stored.Author, stored.CoverId));
        Assert.Equal(PackKey, stored.PackKey);
        Assert.Equal([new StoredSticker(0, "😺", "image/webp"), new StoredSticker(1, "🐈", null)], stored.Stickers);
        Assert.Null(await t.Db.StickerPacks.GetAsync(new byte[16]));
    }

    [Fact]
    public async Task A_pack_seen_in_a_received_sticker_is_known_but_not_installed_and_keeps_a_later_manifest()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.StickerPacks.RememberAsync(PackId, PackKey);

        var seen = Assert.Single(await t.Db.StickerPacks.ListAsync());
        Assert.False(seen.Installed);
        Assert.False(seen.HasManifest);
        Assert.Empty(seen.Stickers);

        await t.Db.StickerPacks.SaveAsync(new StickerPackRecord(PackId, PackKey, false, "Cats", "", null, [new StoredSticker(0, "😺", null)]));
        await t.Db.StickerPacks.RememberAsync(PackId, PackKey);
        var fetched = Assert.Single(await t.Db.StickerPacks.ListAsync());
        Assert.False(fetched.Installed);
        Assert.Equal("Cats", fetched.Title);
        Assert.Single(fetched.Stickers);
    }

    [Fact]
    public async Task A_sync_installs_and_removes_a_pack_without_losing_its_manifest()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.StickerPacks.SaveAsync(new StickerPackRecord(PackId, PackKey, false, "Cats", "Alice", null, [new StoredSticker(0, "😺", null)]));

        await t.Db.StickerPacks.RememberAsync(PackId, PackKey, installed: true);
        Assert.True((await t.Db.StickerPacks.GetAsync(PackId))!.Installed);
        await t.Db.StickerPacks.RememberAsync(PackId, PackKey, installed: false);
        var removed = (await t.Db.StickerPacks.GetAsync(PackId))!;
        Assert.False(removed.Installed);
        Assert.Equal("Cats", removed.Title);
        Assert.Single(removed.Stickers);
    }
}
