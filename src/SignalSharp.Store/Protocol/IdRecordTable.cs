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

/// <summary>One-time EC prekeys.</summary>
internal sealed class PreKeyTable(StoreScope db) : IdRecordTable(db, "prekeys")
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
