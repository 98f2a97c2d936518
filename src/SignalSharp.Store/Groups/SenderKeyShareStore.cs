using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Groups;

/// <summary>
/// The account's own sender-key distribution per group: which distribution id it sends a group's messages
/// under, and which member devices already hold that sender key (got its distribution message), so a send
/// distributes only to devices that lack it. Forgetting a device (new identity, a stale or removed device)
/// makes the next send distribute to it again; rotating the id (a member left) makes it distribute to all.
/// </summary>
public sealed partial class SenderKeyShareStore
{
    internal const string Schema = """
        CREATE TABLE group_distributions (
            group_id        BLOB PRIMARY KEY REFERENCES groups (group_id) ON DELETE CASCADE,
            distribution_id TEXT NOT NULL UNIQUE,
            created_at      INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE sender_key_shared (
            distribution_id TEXT NOT NULL,
            aci             TEXT NOT NULL,
            device          INTEGER NOT NULL,
            PRIMARY KEY (distribution_id, aci, device)
        ) STRICT, WITHOUT ROWID;

        """;

    private readonly StoreScope db;

    internal SenderKeyShareStore(StoreScope db) => this.db = db;

    /// <summary>The distribution id of the group's sender key, created on first use. The group must be stored.</summary>
    public Task<Guid> GetOrCreateDistributionIdAsync(byte[] groupId, CancellationToken cancellationToken = default)
        => this.db.WriteAsync(async (c, t) =>
        {
            var existing = await c.Command(t, "SELECT distribution_id FROM group_distributions WHERE group_id = $g").With("$g", groupId)
                .ScalarAsync(cancellationToken).ConfigureAwait(false);
            if (existing is string text)
            {
                return Guid.Parse(text);
            }

            var id = Guid.NewGuid();
            await c.Command(t, "INSERT INTO group_distributions (group_id, distribution_id, created_at) VALUES ($g, $d, $now)")
                .With("$g", groupId).With("$d", id).With("$now", this.db.NowMillis()).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return id;
        }, cancellationToken);

    /// <summary>Starts a new sender key for the group (nobody holds it yet); returns the new distribution id.</summary>
    public Task<Guid> RotateAsync(byte[] groupId, CancellationToken cancellationToken = default)
        => this.db.WriteAsync(async (c, t) =>
        {
            var old = await c.Command(t, "SELECT distribution_id FROM group_distributions WHERE group_id = $g").With("$g", groupId)
                .ScalarAsync(cancellationToken).ConfigureAwait(false);
            if (old is string text)
            {
                await c.Command(t, "DELETE FROM sender_key_shared WHERE distribution_id = $d").With("$d", text).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            var id = Guid.NewGuid();
            await c.Command(t, """
                    INSERT INTO group_distributions (group_id, distribution_id, created_at) VALUES ($g, $d, $now)
                    ON CONFLICT (group_id) DO UPDATE SET distribution_id = excluded.distribution_id, created_at = excluded.created_at
                    """).With("$g", groupId).With("$d", id).With("$now", this.db.NowMillis()).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return id;
        }, cancellationToken);

    /// <summary>The devices that hold the sender key of <paramref name="distributionId"/>.</summary>
    public Task<IReadOnlySet<(Guid Aci, uint Device)>> SharedWithAsync(Guid distributionId, CancellationToken cancellationToken = default)
        => this.db.ReadAsync<IReadOnlySet<(Guid Aci, uint Device)>>(async (c, t) =>
            (await c.Command(t, "SELECT aci, device FROM sender_key_shared WHERE distribution_id = $d").With("$d", distributionId)
                .ListAsync(r => (r.GetGuidOrNull(0)!.Value, (uint)r.GetInt64(1)), cancellationToken).ConfigureAwait(false)).ToHashSet(),
            cancellationToken);

    public Task MarkSharedAsync(Guid distributionId, IEnumerable<(Guid Aci, uint Device)> devices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(devices);
        return this.db.WriteAsync(async (c, t) =>
        {
            foreach (var (aci, device) in devices)
            {
                await c.Command(t, "INSERT OR IGNORE INTO sender_key_shared (distribution_id, aci, device) VALUES ($d, $a, $dev)")
                    .With("$d", distributionId).With("$a", aci).With("$dev", device).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <summary>Forgets that <paramref name="aci"/> (one device, or all of its devices when null) holds any of the
    /// account's sender keys: after a new identity or session, or a device the server reports stale.</summary>
    public Task<int> ForgetAsync(Guid aci, uint? device = null, CancellationToken cancellationToken = default)
        => this.db.WriteAsync((c, t) => device is { } d
            ? c.Command(t, "DELETE FROM sender_key_shared WHERE aci = $a AND device = $dev").With("$a", aci).With("$dev", d).ExecuteAsync(cancellationToken)
            : c.Command(t, "DELETE FROM sender_key_shared WHERE aci = $a").With("$a", aci).ExecuteAsync(cancellationToken), cancellationToken);
}
