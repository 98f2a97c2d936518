using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>The account's own identity key pairs and registration ids, one per <see cref="AccountIdentity"/>.</summary>
internal sealed class OwnIdentityTable(StoreScope db)
{
    internal const string Schema = """
        CREATE TABLE own_identities (
            identity        INTEGER PRIMARY KEY NOT NULL,
            key_pair        BLOB NOT NULL,
            registration_id INTEGER NOT NULL
        ) STRICT;

        """;

    public Task<(byte[] KeyPair, uint RegistrationId)?> GetAsync(AccountIdentity identity, CancellationToken cancellationToken)
        => db.ReadAsync(async (c, t) =>
        {
            var rows = await c.Command(t, "SELECT key_pair, registration_id FROM own_identities WHERE identity = $i").With("$i", identity)
                .ListAsync(r => ((byte[])r.GetValue(0), (uint)r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
            return rows.Count == 0 ? ((byte[], uint)?)null : rows[0];
        }, cancellationToken);

    public Task SetAsync(AccountIdentity identity, byte[] keyPair, uint registrationId, CancellationToken cancellationToken)
        => db.WriteAsync((c, t) => c.Command(t, """
                INSERT INTO own_identities (identity, key_pair, registration_id) VALUES ($i, $k, $r)
                ON CONFLICT (identity) DO UPDATE SET key_pair = excluded.key_pair, registration_id = excluded.registration_id
                """).With("$i", identity).With("$k", keyPair).With("$r", registrationId).ExecuteAsync(cancellationToken), cancellationToken);
}
