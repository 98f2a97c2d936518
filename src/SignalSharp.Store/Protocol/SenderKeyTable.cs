using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>Serialized sender key records by (sender name, sender device, distribution id).</summary>
internal sealed class SenderKeyTable(StoreScope db)
{
    internal const string Schema = """
        CREATE TABLE sender_keys (
            address         TEXT NOT NULL,
            device          INTEGER NOT NULL,
            distribution_id TEXT NOT NULL,
            record          BLOB NOT NULL,
            created_at      INTEGER NOT NULL,
            PRIMARY KEY (address, device, distribution_id)
        ) STRICT, WITHOUT ROWID;

        """;

    public Task<byte[]?> LoadAsync(string address, uint device, Guid distributionId, CancellationToken cancellationToken)
        => db.ReadAsync(async (c, t) => await c.Command(t,
                "SELECT record FROM sender_keys WHERE address = $a AND device = $d AND distribution_id = $dist")
            .With("$a", address).With("$d", device).With("$dist", distributionId).ScalarAsync(cancellationToken).ConfigureAwait(false) as byte[],
            cancellationToken);

    public Task StoreAsync(string address, uint device, Guid distributionId, byte[] record, CancellationToken cancellationToken)
        => db.WriteAsync((c, t) => c.Command(t, """
                INSERT INTO sender_keys (address, device, distribution_id, record, created_at) VALUES ($a, $d, $dist, $r, $now)
                ON CONFLICT (address, device, distribution_id) DO UPDATE SET record = excluded.record
                """).With("$a", address).With("$d", device).With("$dist", distributionId).With("$r", record).With("$now", db.NowMillis())
            .ExecuteAsync(cancellationToken), cancellationToken);

    public Task<int> DeleteForAsync(string address, CancellationToken cancellationToken)
        => db.WriteAsync((c, t) => c.Command(t, "DELETE FROM sender_keys WHERE address = $a").With("$a", address).ExecuteAsync(cancellationToken), cancellationToken);
}
