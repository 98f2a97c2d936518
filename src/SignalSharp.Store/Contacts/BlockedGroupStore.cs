using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Contacts;

/// <summary>
/// The groups the user blocked, by group id (the 32-byte identifier groups v2 derive from the master key). A blocked
/// group's messages are dropped; the group itself stays known. Blocked people are a flag on the contact list.
/// </summary>
public sealed class BlockedGroupStore
{
    internal const string Schema = """
        CREATE TABLE blocked_groups (
            group_id BLOB PRIMARY KEY NOT NULL
        ) STRICT, WITHOUT ROWID;

        """;

    private readonly StoreScope db;

    internal BlockedGroupStore(StoreScope db) => this.db = db;

    public Task<IReadOnlyList<byte[]>> ListAsync(CancellationToken cancellationToken = default)
        => db.ReadAsync<IReadOnlyList<byte[]>>(async (c, t) =>
            await c.Command(t, "SELECT group_id FROM blocked_groups ORDER BY group_id").ListAsync(r => (byte[])r.GetValue(0), cancellationToken).ConfigureAwait(false),
            cancellationToken);

    public Task<bool> IsBlockedAsync(byte[] groupId, CancellationToken cancellationToken = default)
        => db.ReadAsync(async (c, t) => await c.Command(t, "SELECT count(*) FROM blocked_groups WHERE group_id = $g").With("$g", groupId)
            .ScalarAsync(cancellationToken).ConfigureAwait(false) is long n && n > 0, cancellationToken);

    public Task SetAsync(byte[] groupId, bool blocked, CancellationToken cancellationToken = default)
        => db.WriteAsync((c, t) => c.Command(t, blocked
                ? "INSERT INTO blocked_groups (group_id) VALUES ($g) ON CONFLICT DO NOTHING"
                : "DELETE FROM blocked_groups WHERE group_id = $g")
            .With("$g", groupId).ExecuteAsync(cancellationToken), cancellationToken);

    /// <summary>Replaces the whole list (a blocked-list sync from the primary device says what is blocked now).</summary>
    public Task ReplaceAsync(IReadOnlyCollection<byte[]> groupIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        return db.WriteAsync(async (c, t) =>
        {
            await c.Command(t, "DELETE FROM blocked_groups").ExecuteAsync(cancellationToken).ConfigureAwait(false);
            foreach (var id in groupIds)
            {
                await c.Command(t, "INSERT INTO blocked_groups (group_id) VALUES ($g) ON CONFLICT DO NOTHING").With("$g", id)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }
}
