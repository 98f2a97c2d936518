using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Stickers;

/// <summary>One sticker of a stored pack.</summary>
public sealed record StoredSticker(int Id, string? Emoji, string? ContentType);

/// <summary>
/// A sticker pack the account knows: its id and key, whether the user installed it, and, once its manifest was
/// fetched (<see cref="HasManifest"/>), its title, author, cover and stickers.
/// </summary>
public sealed record StickerPackRecord(byte[] PackId, byte[] PackKey, bool Installed, string? Title, string? Author, int? CoverId,
    IReadOnlyList<StoredSticker> Stickers)
{
    public bool HasManifest => Title is not null;
}

/// <summary>
/// The sticker packs the account knows, by 16-byte pack id: installed ones (addStickerPack, a sync from the primary)
/// with their manifest, and packs only seen in received stickers (key kept, manifest fetched when first needed).
/// </summary>
public sealed class StickerPackStore
{
    internal const string Schema = """
        CREATE TABLE sticker_packs (
            pack_id   BLOB PRIMARY KEY NOT NULL,
            pack_key  BLOB NOT NULL,
            installed INTEGER NOT NULL,
            title     TEXT,
            author    TEXT,
            cover_id  INTEGER
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE sticker_pack_stickers (
            pack_id      BLOB NOT NULL REFERENCES sticker_packs (pack_id) ON DELETE CASCADE,
            sticker_id   INTEGER NOT NULL,
            emoji        TEXT,
            content_type TEXT,
            PRIMARY KEY (pack_id, sticker_id)
        ) STRICT, WITHOUT ROWID;

        """;

    private readonly StoreScope db;

    internal StickerPackStore(StoreScope db) => this.db = db;

    /// <summary>
    /// Stores a pack with its fetched manifest (its stickers replace any stored before); <paramref name="installed"/>
    /// null keeps the pack's installed flag (false for a new one).
    /// </summary>
    public Task SaveAsync(StickerPackRecord pack, bool? installed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pack);
        return db.WriteAsync(async (c, t) =>
        {
            await c.Command(t, """
                    INSERT INTO sticker_packs (pack_id, pack_key, installed, title, author, cover_id) VALUES ($p, $k, coalesce($i, 0), $t, $a, $c)
                    ON CONFLICT (pack_id) DO UPDATE SET pack_key = excluded.pack_key, installed = coalesce($i, sticker_packs.installed),
                        title = excluded.title, author = excluded.author, cover_id = excluded.cover_id
                    """).With("$p", pack.PackId).With("$k", pack.PackKey).With("$i", installed).With("$t", pack.Title ?? "")
                .With("$a", pack.Author ?? "").With("$c", pack.CoverId).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await c.Command(t, "DELETE FROM sticker_pack_stickers WHERE pack_id = $p").With("$p", pack.PackId).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            foreach (var sticker in pack.Stickers)
            {
                await c.Command(t, """
                        INSERT INTO sticker_pack_stickers (pack_id, sticker_id, emoji, content_type) VALUES ($p, $s, $e, $t)
                        ON CONFLICT DO NOTHING
                        """).With("$p", pack.PackId).With("$s", sticker.Id).With("$e", sticker.Emoji).With("$t", sticker.ContentType)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Remembers a pack by id and key (a received sticker or a sync names it) without its manifest. A pack already
    /// known keeps what it has; <paramref name="installed"/> (a sync's install or remove) sets its flag, null keeps it.
    /// </summary>
    public Task RememberAsync(byte[] packId, byte[] packKey, bool? installed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packId);
        ArgumentNullException.ThrowIfNull(packKey);
        return db.WriteAsync((c, t) => c.Command(t, """
                INSERT INTO sticker_packs (pack_id, pack_key, installed) VALUES ($p, $k, coalesce($i, 0))
                ON CONFLICT (pack_id) DO UPDATE SET installed = coalesce($i, sticker_packs.installed)
                """).With("$p", packId).With("$k", packKey).With("$i", installed).ExecuteAsync(cancellationToken), cancellationToken);
    }

    /// <summary>The pack with this id, or null when the account does not know it.</summary>
    public async Task<StickerPackRecord?> GetAsync(byte[] packId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packId);
        var packs = await ReadAsync("WHERE pack_id = $p", packId, cancellationToken).ConfigureAwait(false);
        return packs.Count == 0 ? null : packs[0];
    }

    /// <summary>Every known pack, installed or not, ordered by id.</summary>
    public Task<IReadOnlyList<StickerPackRecord>> ListAsync(CancellationToken cancellationToken = default) => ReadAsync("", null, cancellationToken);

    private Task<IReadOnlyList<StickerPackRecord>> ReadAsync(string where, byte[]? packId, CancellationToken cancellationToken) =>
        db.ReadAsync<IReadOnlyList<StickerPackRecord>>(async (c, t) =>
        {
            var query = c.Command(t, $"SELECT pack_id, pack_key, installed, title, author, cover_id FROM sticker_packs {where} ORDER BY pack_id");
            if (packId is not null)
            {
                query.With("$p", packId);
            }

            var packs = await query.ListAsync(r => new StickerPackRecord((byte[])r.GetValue(0), (byte[])r.GetValue(1), r.GetInt64(2) != 0, r.GetStringOrNull(3),
                    r.GetStringOrNull(4), r.GetInt64OrNull(5) is { } cover ? (int)cover : null, []), cancellationToken).ConfigureAwait(false);
            var result = new List<StickerPackRecord>(packs.Count);
            foreach (var pack in packs)
            {
                var stickers = await c.Command(t, "SELECT sticker_id, emoji, content_type FROM sticker_pack_stickers WHERE pack_id = $p ORDER BY sticker_id")
                    .With("$p", pack.PackId)
                    .ListAsync(r => new StoredSticker((int)r.GetInt64(0), r.GetStringOrNull(1), r.GetStringOrNull(2)), cancellationToken).ConfigureAwait(false);
                result.Add(pack with { Stickers = stickers });
            }

            return result;
        }, cancellationToken);
}
