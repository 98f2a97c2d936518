using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>
/// Kyber prekeys: one-time keys and last-resort keys. A one-time key is flagged used when a session consumes
/// it and must not be used again; a last-resort key may be used many times. Used one-time keys stay until
/// <see cref="RemoveUsedAsync"/>, so refill logic can count the unused ones.
/// </summary>
internal sealed class KyberPreKeyTable(StoreScope db) : OneTimeKeyTable(db, "kyber_prekeys", "AND is_last_resort = 0")
{
    internal const string Schema = """
        CREATE TABLE kyber_prekeys (
            identity       INTEGER NOT NULL,
            id             INTEGER NOT NULL,
            record         BLOB NOT NULL,
            is_last_resort INTEGER NOT NULL DEFAULT 0,
            used           INTEGER NOT NULL DEFAULT 0,
            created_at     INTEGER NOT NULL,
            PRIMARY KEY (identity, id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE kyber_prekey_uses (
            identity      INTEGER NOT NULL,
            kyber_id      INTEGER NOT NULL,
            signed_id     INTEGER NOT NULL,
            base_key      BLOB NOT NULL,
            used_at       INTEGER NOT NULL,
            PRIMARY KEY (identity, kyber_id, signed_id, base_key)
        ) STRICT, WITHOUT ROWID;

        """;

    /// <summary>When the server stopped holding a one-time key (last-resort keys have their own grace period).</summary>
    internal const string StaleSchema = """
        ALTER TABLE kyber_prekeys ADD COLUMN stale_at INTEGER;

        """;

    public Task StoreAsync(AccountIdentity identity, uint id, byte[] record, bool isLastResort, CancellationToken cancellationToken)
        => Db.WriteAsync((c, t) => c.Command(t, """
                INSERT INTO kyber_prekeys (identity, id, record, is_last_resort, used, created_at) VALUES ($i, $id, $r, $last, 0, $now)
                ON CONFLICT (identity, id) DO UPDATE SET record = excluded.record, is_last_resort = excluded.is_last_resort, used = 0
                """).With("$i", identity).With("$id", id).With("$r", record).With("$last", isLastResort).With("$now", Db.NowMillis())
            .ExecuteAsync(cancellationToken), cancellationToken);

    public override Task StoreAsync(AccountIdentity identity, uint id, byte[] record, CancellationToken cancellationToken)
        => StoreAsync(identity, id, record, isLastResort: false, cancellationToken);

    /// <summary>Returns the record unless it is a one-time key already used (then null, as if absent).</summary>
    public Task<byte[]?> LoadUsableAsync(AccountIdentity identity, uint id, CancellationToken cancellationToken)
        => Db.ReadAsync(async (c, t) => await c.Command(t,
                "SELECT record FROM kyber_prekeys WHERE identity = $i AND id = $id AND (is_last_resort = 1 OR used = 0)")
            .With("$i", identity).With("$id", id).ScalarAsync(cancellationToken).ConfigureAwait(false) as byte[], cancellationToken);

    /// <summary>Flags the key used; returns false when there is no such key.</summary>
    public Task<bool> MarkUsedAsync(AccountIdentity identity, uint id, CancellationToken cancellationToken)
        => Db.WriteAsync(async (c, t) => await c.Command(t, "UPDATE kyber_prekeys SET used = 1 WHERE identity = $i AND id = $id")
            .With("$i", identity).With("$id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0, cancellationToken);

    /// <summary>Records one use of a last-resort key by an initiator's base key; false if that exact
    /// (Kyber id, signed prekey id, base key) was seen before, i.e. a replayed session setup.</summary>
    public Task<bool> RecordLastResortUseAsync(AccountIdentity identity, uint kyberId, uint signedId, byte[] baseKey, CancellationToken cancellationToken)
        => Db.WriteAsync(async (c, t) => await c.Command(t, """
                INSERT INTO kyber_prekey_uses (identity, kyber_id, signed_id, base_key, used_at) VALUES ($i, $k, $s, $b, $now)
                ON CONFLICT DO NOTHING
                """).With("$i", identity).With("$k", kyberId).With("$s", signedId).With("$b", baseKey).With("$now", Db.NowMillis())
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0, cancellationToken);

    public Task<bool> IsLastResortAsync(AccountIdentity identity, uint id, CancellationToken cancellationToken)
        => Db.ReadAsync(async (c, t) => await c.Command(t, "SELECT is_last_resort FROM kyber_prekeys WHERE identity = $i AND id = $id")
            .With("$i", identity).With("$id", id).ScalarAsync(cancellationToken).ConfigureAwait(false) is 1L, cancellationToken);

    public Task<int> CountUnusedOneTimeAsync(AccountIdentity identity, CancellationToken cancellationToken)
        => Db.ReadAsync(async (c, t) => (int)(long)(await c.Command(t,
                "SELECT count(*) FROM kyber_prekeys WHERE identity = $i AND is_last_resort = 0 AND used = 0")
            .With("$i", identity).ScalarAsync(cancellationToken).ConfigureAwait(false))!, cancellationToken);

    public Task<IReadOnlyList<uint>> ListLastResortIdsAsync(AccountIdentity identity, CancellationToken cancellationToken)
        => Db.ReadAsync<IReadOnlyList<uint>>(async (c, t) => await c.Command(t,
                "SELECT id FROM kyber_prekeys WHERE identity = $i AND is_last_resort = 1 ORDER BY id")
            .With("$i", identity).ListAsync(r => (uint)r.GetInt64(0), cancellationToken).ConfigureAwait(false), cancellationToken);

    public Task<int> RemoveUsedAsync(AccountIdentity identity, CancellationToken cancellationToken)
        => Db.WriteAsync((c, t) => c.Command(t, "DELETE FROM kyber_prekeys WHERE identity = $i AND is_last_resort = 0 AND used = 1")
            .With("$i", identity).ExecuteAsync(cancellationToken), cancellationToken);
}
