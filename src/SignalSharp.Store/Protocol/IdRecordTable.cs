using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>Shared access to the prekey tables: serialized records keyed by (account identity, key id).
/// The record bytes are the protocol library's own serialization; this layer never parses them.</summary>
internal abstract class IdRecordTable(StoreScope db, string table)
{
    protected StoreScope Db { get; } = db;
    protected string Table { get; } = table;

    public Task<byte[]?> LoadAsync(AccountIdentity identity, uint id, CancellationToken cancellationToken)
        => Db.ReadAsync(async (c, t) => await c.Command(t, $"SELECT record FROM {Table} WHERE identity = $i AND id = $id")
            .With("$i", identity).With("$id", id).ScalarAsync(cancellationToken).ConfigureAwait(false) as byte[], cancellationToken);

    public virtual Task StoreAsync(AccountIdentity identity, uint id, byte[] record, CancellationToken cancellationToken)
        => Db.WriteAsync((c, t) => c.Command(t, $"""
                INSERT INTO {Table} (identity, id, record, created_at) VALUES ($i, $id, $r, $now)
                ON CONFLICT (identity, id) DO UPDATE SET record = excluded.record
                """).With("$i", identity).With("$id", id).With("$r", record).With("$now", Db.NowMillis()).ExecuteAsync(cancellationToken),
            cancellationToken);

    public Task<bool> RemoveAsync(AccountIdentity identity, uint id, CancellationToken cancellationToken)
        => Db.WriteAsync(async (c, t) => await c.Command(t, $"DELETE FROM {Table} WHERE identity = $i AND id = $id")
            .With("$i", identity).With("$id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0, cancellationToken);

    public Task<IReadOnlyList<uint>> ListIdsAsync(AccountIdentity identity, CancellationToken cancellationToken)
        => Db.ReadAsync<IReadOnlyList<uint>>(async (c, t) => await c.Command(t, $"SELECT id FROM {Table} WHERE identity = $i ORDER BY id")
            .With("$i", identity).ListAsync(r => (uint)r.GetInt64(0), cancellationToken).ConfigureAwait(false), cancellationToken);
}

/// <summary>
/// A table of one-time keys, each remembering when the server stopped holding it (<c>stale_at</c>: a newer batch
/// replaced the server's list). A stale key can still open a session a contact started from a bundle it fetched
/// before, so it is deleted only long after, as Signal-Android does.
/// </summary>
internal abstract class OneTimeKeyTable(StoreScope db, string table, string oneTimeOnly) : IdRecordTable(db, table)
{
    /// <summary>Marks every one-time key not yet stale as stale since <paramref name="nowMillis"/>; returns how many.</summary>
    public Task<int> MarkStaleAsync(AccountIdentity identity, long nowMillis, CancellationToken cancellationToken)
        => Db.WriteAsync((c, t) => c.Command(t, $"UPDATE {Table} SET stale_at = $now WHERE identity = $i AND stale_at IS NULL {oneTimeOnly}")
            .With("$i", identity).With("$now", nowMillis).ExecuteAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Deletes one-time keys stale since before <paramref name="beforeMillis"/>, except the <paramref name="keep"/>
    /// newest (keys the server holds first, then the most recently replaced); returns how many went.
    /// </summary>
    public Task<int> RemoveStaleAsync(AccountIdentity identity, long beforeMillis, int keep, CancellationToken cancellationToken)
        => Db.WriteAsync((c, t) => c.Command(t, $"""
                DELETE FROM {Table} WHERE identity = $i AND stale_at < $before {oneTimeOnly}
                AND id NOT IN (
                    SELECT id FROM {Table} WHERE identity = $i {oneTimeOnly}
                    ORDER BY stale_at IS NULL DESC, stale_at DESC, id DESC LIMIT $keep)
                """).With("$i", identity).With("$before", beforeMillis).With("$keep", keep).ExecuteAsync(cancellationToken), cancellationToken);
}

/// <summary>One-time EC prekeys.</summary>
internal sealed class PreKeyTable(StoreScope db) : OneTimeKeyTable(db, "prekeys", "")
{
    internal const string Schema = """
        CREATE TABLE prekeys (
            identity   INTEGER NOT NULL,
            id         INTEGER NOT NULL,
            record     BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (identity, id)
        ) STRICT, WITHOUT ROWID;

        """;

    /// <summary>When the server stopped holding the key (null: it still does, as far as we know).</summary>
    internal const string StaleSchema = """
        ALTER TABLE prekeys ADD COLUMN stale_at INTEGER;

        """;
}

/// <summary>Signed EC prekeys.</summary>
internal sealed class SignedPreKeyTable(StoreScope db) : IdRecordTable(db, "signed_prekeys")
{
    internal const string Schema = """
        CREATE TABLE signed_prekeys (
            identity   INTEGER NOT NULL,
            id         INTEGER NOT NULL,
            record     BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (identity, id)
        ) STRICT, WITHOUT ROWID;

        """;
}
