using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>A remote identity key as stored: serialized key, trust, and when it was first and last seen.</summary>
public sealed record StoredIdentity(string Address, byte[] IdentityKey, TrustLevel Trust, DateTimeOffset AddedAt, DateTimeOffset UpdatedAt);

/// <summary>Remote identity keys by address (service id string); identities are per person, not per device.</summary>
internal sealed class IdentityTable(StoreScope db)
{
    internal const string Schema = """
        CREATE TABLE identities (
            address      TEXT PRIMARY KEY NOT NULL,
            identity_key BLOB NOT NULL,
            trust_level  INTEGER NOT NULL,
            added_at     INTEGER NOT NULL,
            updated_at   INTEGER NOT NULL
        ) STRICT;

        """;

    public Task<StoredIdentity?> GetAsync(string address, CancellationToken cancellationToken)
        => db.ReadAsync((c, t) => c.Command(t, "SELECT address, identity_key, trust_level, added_at, updated_at FROM identities WHERE address = $a")
            .With("$a", address).FirstOrDefaultAsync(Read, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<StoredIdentity>> ListAsync(CancellationToken cancellationToken)
        => db.ReadAsync<IReadOnlyList<StoredIdentity>>(async (c, t) => await c.Command(t,
                "SELECT address, identity_key, trust_level, added_at, updated_at FROM identities ORDER BY address")
            .ListAsync(Read, cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <summary>Saves a key seen for <paramref name="address"/>. A first key gets <paramref name="firstUseTrust"/>,
    /// an unchanged key keeps its trust, a different key replaces the old one at <paramref name="changedTrust"/>.
    /// Returns whether an existing, different key was replaced.</summary>
    public Task<bool> SaveAsync(string address, byte[] identityKey, TrustLevel firstUseTrust, TrustLevel changedTrust, CancellationToken cancellationToken)
        => db.WriteAsync(async (c, t) =>
        {
            var now = db.NowMillis();
            var existing = await c.Command(t, "SELECT identity_key FROM identities WHERE address = $a").With("$a", address)
                .ScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
            if (existing is not null && existing.AsSpan().SequenceEqual(identityKey))
            {
                return false;
            }

            await c.Command(t, """
                    INSERT INTO identities (address, identity_key, trust_level, added_at, updated_at) VALUES ($a, $k, $trust, $now, $now)
                    ON CONFLICT (address) DO UPDATE SET identity_key = excluded.identity_key, trust_level = excluded.trust_level,
                        added_at = excluded.added_at, updated_at = excluded.updated_at
                    """)
                .With("$a", address).With("$k", identityKey).With("$trust", existing is null ? firstUseTrust : changedTrust).With("$now", now)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return existing is not null;
        }, cancellationToken);

    /// <summary>Sets the trust of the key currently stored, only if it is still <paramref name="identityKey"/>
    /// (so a confirmation of an old safety number cannot trust a newer key).</summary>
    public Task<bool> SetTrustAsync(string address, byte[] identityKey, TrustLevel trust, CancellationToken cancellationToken)
        => db.WriteAsync(async (c, t) => await c.Command(t,
                "UPDATE identities SET trust_level = $trust, updated_at = $now WHERE address = $a AND identity_key = $k")
            .With("$trust", trust).With("$now", db.NowMillis()).With("$a", address).With("$k", identityKey)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0, cancellationToken);

    private static StoredIdentity Read(Microsoft.Data.Sqlite.SqliteDataReader r) => new(
        r.GetString(0), (byte[])r.GetValue(1), (TrustLevel)r.GetInt64(2),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)));
}
