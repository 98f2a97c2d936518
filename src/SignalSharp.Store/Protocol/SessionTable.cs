using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>Serialized session records by (account identity, remote name, remote device).</summary>
internal sealed class SessionTable(StoreScope db)
{
    internal const string Schema = """
        CREATE TABLE sessions (
            identity   INTEGER NOT NULL,
            address    TEXT NOT NULL,
            device     INTEGER NOT NULL,
            record     BLOB NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (identity, address, device)
        ) STRICT, WITHOUT ROWID;

        """;

    public Task<byte[]?> LoadAsync(AccountIdentity identity, string address, uint device, CancellationToken cancellationToken)
        => db.ReadAsync(async (c, t) => await c.Command(t, "SELECT record FROM sessions WHERE identity = $i AND address = $a AND device = $d")
            .With("$i", identity).With("$a", address).With("$d", device).ScalarAsync(cancellationToken).ConfigureAwait(false) as byte[], cancellationToken);

    public Task StoreAsync(AccountIdentity identity, string address, uint device, byte[] record, CancellationToken cancellationToken)
        => db.WriteAsync((c, t) => c.Command(t, """
                INSERT INTO sessions (identity, address, device, record, updated_at) VALUES ($i, $a, $d, $r, $now)
                ON CONFLICT (identity, address, device) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at
                """).With("$i", identity).With("$a", address).With("$d", device).With("$r", record).With("$now", db.NowMillis())
            .ExecuteAsync(cancellationToken), cancellationToken);

    /// <summary>The devices of <paramref name="address"/> we hold sessions with (for per-device fan-out).</summary>
    public Task<IReadOnlyList<uint>> ListDevicesAsync(AccountIdentity identity, string address, CancellationToken cancellationToken)
        => db.ReadAsync<IReadOnlyList<uint>>(async (c, t) => await c.Command(t, "SELECT device FROM sessions WHERE identity = $i AND address = $a ORDER BY device")
            .With("$i", identity).With("$a", address).ListAsync(r => (uint)r.GetInt64(0), cancellationToken).ConfigureAwait(false), cancellationToken);

    public Task<bool> DeleteAsync(AccountIdentity identity, string address, uint device, CancellationToken cancellationToken)
        => db.WriteAsync(async (c, t) => await c.Command(t, "DELETE FROM sessions WHERE identity = $i AND address = $a AND device = $d")
            .With("$i", identity).With("$a", address).With("$d", device).ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0, cancellationToken);

    public Task<int> DeleteAllAsync(AccountIdentity identity, string address, CancellationToken cancellationToken)
        => db.WriteAsync((c, t) => c.Command(t, "DELETE FROM sessions WHERE identity = $i AND address = $a")
            .With("$i", identity).With("$a", address).ExecuteAsync(cancellationToken), cancellationToken);
}
