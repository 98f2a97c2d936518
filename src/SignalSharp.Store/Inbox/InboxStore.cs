using Microsoft.Data.Sqlite;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Inbox;

/// <summary>
/// The daemon's inbox of received messages, and the promise it carries: an item whose <see cref="InsertAsync"/>
/// returned is on disk (the caller acks the server only then), and <see cref="TakeAsync"/> hands each item to
/// exactly one taker, once, also across a crash and restart (taking is one committed UPDATE).
/// Duplicates (same sender ACI, device and timestamp) are dropped on insert. Delivered items are kept until
/// <see cref="PruneDeliveredAsync"/> removes them, so a late server redelivery is still recognised.
/// <para>
/// A taker that must first pass the items on (the daemon writing them to a client that may have gone away)
/// leases them instead: <see cref="LeaseAsync"/>, then <see cref="ConfirmAsync"/> once they reached the client or
/// <see cref="ReleaseLeasesAsync"/> when they did not. A lease is stored as the negated time in <c>delivered_at</c>
/// (no schema change: a negative time never occurs otherwise), so leased items are neither pending nor
/// delivered; <see cref="ReleaseAbandonedLeasesAsync"/> puts back the leases of a process that died.
/// </para>
/// </summary>
public sealed class InboxStore
{
    internal const string Schema = """
        CREATE TABLE inbox (
            id                        INTEGER PRIMARY KEY AUTOINCREMENT,
            kind                      INTEGER NOT NULL,
            timestamp                 INTEGER NOT NULL,
            server_timestamp          INTEGER NOT NULL,
            sender_aci                TEXT,
            sender_e164               TEXT,
            sender_device             INTEGER,
            body                      TEXT,
            group_id                  BLOB,
            reaction_emoji            TEXT,
            reaction_target_aci       TEXT,
            reaction_target_e164      TEXT,
            reaction_target_timestamp INTEGER,
            reaction_remove           INTEGER,
            status                    INTEGER NOT NULL DEFAULT 0,
            error_message             TEXT,
            raw_content               BLOB,
            received_at               INTEGER NOT NULL,
            delivered_at              INTEGER
        ) STRICT;
        CREATE UNIQUE INDEX inbox_dedupe ON inbox (sender_aci, sender_device, timestamp);
        CREATE INDEX inbox_pending ON inbox (id) WHERE delivered_at IS NULL;
        CREATE INDEX inbox_delivered ON inbox (delivered_at) WHERE delivered_at IS NOT NULL;
        CREATE TABLE inbox_attachments (
            item_id      INTEGER NOT NULL REFERENCES inbox (id) ON DELETE CASCADE,
            position     INTEGER NOT NULL,
            content_type TEXT,
            file_name    TEXT,
            size         INTEGER,
            local_path   TEXT,
            remote_id    TEXT,
            caption      TEXT,
            PRIMARY KEY (item_id, position)
        ) STRICT, WITHOUT ROWID;

        """;

    private readonly StoreScope db;
    private readonly ArrivalSignal arrival;

    internal InboxStore(StoreScope db)
    {
        this.db = db;
        arrival = new ArrivalSignal();
    }

    /// <summary>A view of <paramref name="shared"/>'s inbox inside a transaction: same table, same wake-up signal.</summary>
    internal InboxStore(StoreScope db, InboxStore shared)
    {
        this.db = db;
        arrival = shared.arrival;
    }

    /// <summary>Stores <paramref name="item"/> durably in one transaction, or reports it as a duplicate.</summary>
    public async Task<InboxInsertResult> InsertAsync(InboxItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var result = await this.db.WriteAsync((c, t) => InboxRows.InsertOneAsync(c, t, item, this.db.NowMillis(), cancellationToken), cancellationToken).ConfigureAwait(false);
        if (result.Inserted)
        {
            this.db.AfterCommit(arrival.Raise);
        }

        return result;
    }

    /// <summary>Stores a batch in one transaction (one disk sync for all); results are in input order.</summary>
    public async Task<IReadOnlyList<InboxInsertResult>> InsertManyAsync(IReadOnlyList<InboxItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = await this.db.WriteAsync(async (c, t) =>
        {
            var list = new InboxInsertResult[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                list[i] = await InboxRows.InsertOneAsync(c, t, items[i], this.db.NowMillis(), cancellationToken).ConfigureAwait(false);
            }

            return list;
        }, cancellationToken).ConfigureAwait(false);
        if (results.Any(r => r.Inserted))
        {
            this.db.AfterCommit(arrival.Raise);
        }

        return results;
    }

    /// <summary>Whether an item from this sender device with this timestamp is already stored.</summary>
    public Task<bool> ContainsAsync(Guid senderAci, uint senderDevice, ulong timestamp, CancellationToken cancellationToken = default)
        => this.db.ReadAsync(async (c, t) => await c.Command(t,
                "SELECT 1 FROM inbox WHERE sender_aci = $aci AND sender_device = $device AND timestamp = $ts")
            .With("$aci", senderAci).With("$device", senderDevice).With("$ts", timestamp)
            .ScalarAsync(cancellationToken).ConfigureAwait(false) is not null, cancellationToken);

    /// <summary>
    /// Hands out up to <paramref name="max"/> waiting items, oldest first, marking them delivered in the same
    /// committed statement: concurrent takers (in this process or another) never receive the same item.
    /// </summary>
    public Task<IReadOnlyList<InboxItem>> TakeAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return MarkWaitingAsync(max, this.db.NowMillis(), cancellationToken);
    }

    /// <summary>Sets <c>delivered_at</c> of the oldest waiting items to <paramref name="mark"/> and returns them.</summary>
    private Task<IReadOnlyList<InboxItem>> MarkWaitingAsync(int max, long mark, CancellationToken cancellationToken)
    {
        return this.db.WriteAsync<IReadOnlyList<InboxItem>>(async (c, t) =>
        {
            var items = await c.Command(t, $"""
                    UPDATE inbox SET delivered_at = $mark
                    WHERE id IN (SELECT id FROM inbox WHERE delivered_at IS NULL ORDER BY id LIMIT $max)
                    RETURNING {InboxRows.Columns}
                    """)
                .With("$mark", mark).With("$max", max)
                .ListAsync(InboxRows.ReadItem, cancellationToken).ConfigureAwait(false);
            // RETURNING gives no order guarantee.
            items.Sort((a, b) => a.Id.CompareTo(b.Id));
            return await InboxRows.WithAttachmentsAsync(c, t, items, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// Leases up to <paramref name="max"/> waiting items, oldest first, in one committed statement: no other taker
    /// gets them, yet they are not delivered until <see cref="ConfirmAsync"/>; <see cref="ReleaseLeasesAsync"/> puts
    /// them back. The caller must do one or the other (a crash leaves it to <see cref="ReleaseAbandonedLeasesAsync"/>).
    /// </summary>
    public Task<IReadOnlyList<InboxItem>> LeaseAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        // Never 0: a lease must stay distinguishable from delivery (positive) whatever the clock says.
        return MarkWaitingAsync(max, -Math.Max(1, this.db.NowMillis()), cancellationToken);
    }

    /// <summary>
    /// Marks leased items delivered: their taker passed them on. Returns how many; ids not currently leased
    /// (released meanwhile, or never leased) are ignored, so a confirmation never revives a released item.
    /// </summary>
    public Task<int> ConfirmAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return Task.FromResult(0);
        }

        return this.db.WriteAsync(async (c, t) =>
        {
            var count = 0;
            var now = this.db.NowMillis();
            foreach (var id in ids)
            {
                count += await c.Command(t, "UPDATE inbox SET delivered_at = $now WHERE id = $id AND delivered_at < 0")
                    .With("$now", now).With("$id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return count;
        }, cancellationToken);
    }

    /// <summary>
    /// Puts back every leased item: for a process starting up, whose predecessor died between lease and
    /// confirmation (the client may or may not have read them; handing them out again loses nothing).
    /// Call it only while no other taker holds leases on this database.
    /// </summary>
    public async Task<int> ReleaseAbandonedLeasesAsync(CancellationToken cancellationToken = default)
    {
        var released = await this.db.WriteAsync((c, t) => c.Command(t, "UPDATE inbox SET delivered_at = NULL WHERE delivered_at < 0")
            .ExecuteAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        if (released > 0)
        {
            this.db.AfterCommit(arrival.Raise);
        }

        return released;
    }

    /// <summary>
    /// Puts back leased items only: the taker could not pass them on. Items confirmed meanwhile, or released and
    /// taken by someone else since, are left alone, so a late release never hands an item out twice. Returns how
    /// many were put back.
    /// </summary>
    public Task<int> ReleaseLeasesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
        => PutBackAsync(ids, "delivered_at < 0", cancellationToken);

    /// <summary>Items leased and neither confirmed nor released yet.</summary>
    public Task<long> CountLeasedAsync(CancellationToken cancellationToken = default)
        => this.db.ReadAsync(async (c, t) => (long)(await c.Command(t, "SELECT count(*) FROM inbox WHERE delivered_at < 0")
            .ScalarAsync(cancellationToken).ConfigureAwait(false))!, cancellationToken);

    /// <summary>
    /// Puts taken items back as not delivered, for a taker that could not pass them on (its client went away
    /// before the reply was written). They are handed out again, oldest first, by the next take. Returns how
    /// many were put back; ids neither leased nor delivered are ignored.
    /// </summary>
    public Task<int> ReleaseAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
        => PutBackAsync(ids, "delivered_at IS NOT NULL", cancellationToken);

    /// <summary>Marks the items among <paramref name="ids"/> that match <paramref name="state"/> as waiting again.</summary>
    private async Task<int> PutBackAsync(IReadOnlyCollection<long> ids, string state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        var released = await this.db.WriteAsync(async (c, t) =>
        {
            var count = 0;
            foreach (var id in ids)
            {
                count += await c.Command(t, "UPDATE inbox SET delivered_at = NULL WHERE id = $id AND " + state)
                    .With("$id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return count;
        }, cancellationToken).ConfigureAwait(false);
        // Only once committed: a woken waiter must find the items.
        if (released > 0)
        {
            this.db.AfterCommit(arrival.Raise);
        }

        return released;
    }

    /// <summary>Items not yet handed out.</summary>
    public Task<long> CountPendingAsync(CancellationToken cancellationToken = default)
        => this.db.ReadAsync(async (c, t) => (long)(await c.Command(t, "SELECT count(*) FROM inbox WHERE delivered_at IS NULL")
            .ScalarAsync(cancellationToken).ConfigureAwait(false))!, cancellationToken);

    /// <summary>Looks an item up by id, delivered or not (for diagnostics and tests).</summary>
    public Task<InboxItem?> GetAsync(long id, CancellationToken cancellationToken = default)
        => this.db.ReadAsync(async (c, t) =>
        {
            var items = await c.Command(t, $"SELECT {InboxRows.Columns} FROM inbox WHERE id = $id").With("$id", id)
                .ListAsync(InboxRows.ReadItem, cancellationToken).ConfigureAwait(false);
            var full = await InboxRows.WithAttachmentsAsync(c, t, items, cancellationToken).ConfigureAwait(false);
            return full.Count == 0 ? null : full[0];
        }, cancellationToken);

    /// <summary>
    /// Completes when at least one item is waiting: at once if one is, else when the next insert commits (in this
    /// process). A <c>receive_messages</c> with a timeout waits on this, then calls <see cref="TakeAsync"/>; another
    /// client may win the race, so the taker must cope with an empty result and wait again.
    /// </summary>
    public async Task WaitForItemsAsync(CancellationToken cancellationToken = default)
    {
        // Capture the signal before looking, so an insert between the look and the wait is not missed.
        var signal = arrival.Current;
        if (await CountPendingAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            return;
        }

        await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How long delivered items are worth keeping: a redelivery of a stored envelope only happens when the
    /// process died between commit and ack (and the ratchet refuses a replay anyway), so a short time is ample;
    /// clients that want to re-read delivered items can ask for longer.</summary>
    public static readonly TimeSpan DefaultKeepDelivered = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Deletes the delivered items among <paramref name="ids"/> at once, whatever their age (a view-once message, which
    /// must not outlive its one handing out); items still waiting or leased are left alone. Returns the attachment
    /// files they named, for the caller to delete once committed.
    /// </summary>
    public Task<InboxPrune> PruneDeliveredItemsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return this.db.WriteAsync(async (c, t) =>
        {
            var files = new List<string>();
            var items = 0;
            foreach (var id in ids)
            {
                files.AddRange(await c.Command(t, """
                        SELECT a.local_path FROM inbox_attachments a JOIN inbox i ON i.id = a.item_id
                        WHERE i.id = $id AND i.delivered_at > 0 AND a.local_path IS NOT NULL
                        """).With("$id", id).ListAsync(r => r.GetString(0), cancellationToken).ConfigureAwait(false));
                items += await c.Command(t, "DELETE FROM inbox WHERE id = $id AND delivered_at > 0")
                    .With("$id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return new InboxPrune(items, files);
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes items delivered more than <paramref name="keepFor"/> ago, with their attachment rows, in one
    /// transaction; returns how many, and the attachment files they named, for the caller to delete once committed.
    /// </summary>
    public Task<InboxPrune> PruneDeliveredAsync(TimeSpan keepFor, CancellationToken cancellationToken = default)
    {
        var cutoff = this.db.NowMillis() - (long)keepFor.TotalMilliseconds;
        return this.db.WriteAsync(async (c, t) =>
        {
            var files = await c.Command(t, """
                    SELECT a.local_path FROM inbox_attachments a JOIN inbox i ON i.id = a.item_id
                    WHERE i.delivered_at > 0 AND i.delivered_at <= $cutoff AND a.local_path IS NOT NULL
                    """).With("$cutoff", cutoff).ListAsync(r => r.GetString(0), cancellationToken).ConfigureAwait(false);
            var items = await c.Command(t, "DELETE FROM inbox WHERE delivered_at > 0 AND delivered_at <= $cutoff")
                .With("$cutoff", cutoff).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return new InboxPrune(items, files);
        }, cancellationToken);
    }
}
