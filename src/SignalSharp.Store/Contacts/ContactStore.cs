using Microsoft.Data.Sqlite;
using SignalSharp.Store.Recipients;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Contacts;

/// <summary>
/// The contact list learned from the primary device's contact sync. Applying a sync resolves each entry to one
/// recipient (merging E.164-only and ACI-only rows, see <see cref="RecipientStore.ResolveAsync"/>) and records its
/// profile key and contact details, all in one transaction.
/// </summary>
public sealed class ContactStore
{
    internal const string Schema = """
        CREATE TABLE contacts (
            recipient_id     INTEGER PRIMARY KEY REFERENCES recipients (id) ON DELETE CASCADE,
            name             TEXT,
            color            TEXT,
            expiration_timer INTEGER NOT NULL DEFAULT 0,
            blocked          INTEGER NOT NULL DEFAULT 0,
            archived         INTEGER NOT NULL DEFAULT 0,
            inbox_position   INTEGER,
            updated_at       INTEGER NOT NULL
        ) STRICT;

        """;

    private const string Select = $"""
        SELECT r.id, r.aci, r.pni, r.e164, r.profile_key, r.given_name, r.family_name,
               c.name, c.color, c.expiration_timer, c.blocked, c.archived, c.inbox_position
        FROM contacts c JOIN recipients r ON r.id = c.recipient_id
        """;

    private readonly StoreScope db;
    private readonly RecipientStore recipients;

    internal ContactStore(StoreScope db)
    {
        this.db = db;
        this.recipients = new RecipientStore(db);
    }

    /// <summary>
    /// Applies a contact sync. With <paramref name="complete"/> (the sync carries the whole list) contacts not in
    /// it are removed from the list; their recipients stay. A contact sync never unblocks anyone: Signal's contact
    /// details carry no blocked state any more, the blocked-list sync does (<see cref="ReplaceBlockedAsync"/>).
    /// </summary>
    public Task<IReadOnlyList<Contact>> ApplySyncAsync(IReadOnlyList<ContactSyncEntry> entries, bool complete, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return this.db.WriteAsync<IReadOnlyList<Contact>>(async (c, t) =>
        {
            var kept = new HashSet<long>();
            foreach (var entry in entries)
            {
                if (entry.Aci is null && string.IsNullOrEmpty(entry.E164))
                {
                    continue; // Nothing to address it by: not a usable contact.
                }

                var recipient = await this.recipients.ResolveAsync(c, t, entry.Aci, null, string.IsNullOrEmpty(entry.E164) ? null : entry.E164, cancellationToken).ConfigureAwait(false);
                if (entry.ProfileKey is { Length: > 0 } key)
                {
                    await c.Command(t, "UPDATE recipients SET profile_key = $pk WHERE id = $id").With("$pk", key).With("$id", recipient.Id)
                        .ExecuteAsync(cancellationToken).ConfigureAwait(false);
                }

                await UpsertAsync(c, t, recipient.Id, entry, cancellationToken).ConfigureAwait(false);
                kept.Add(recipient.Id);
            }

            if (complete)
            {
                // A blocked entry stays: the block is the user's, not the contact list's.
                var existing = await c.Command(t, "SELECT recipient_id FROM contacts WHERE blocked = 0").ListAsync(r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
                foreach (var id in existing.Where(id => !kept.Contains(id)))
                {
                    await c.Command(t, "DELETE FROM contacts WHERE recipient_id = $id").With("$id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return await c.Command(t, Select + " ORDER BY r.id").ListAsync(Read, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Contact>> ListAsync(CancellationToken cancellationToken = default)
        => this.db.ReadAsync<IReadOnlyList<Contact>>(async (c, t) =>
            await c.Command(t, Select + " ORDER BY coalesce(c.inbox_position, 4294967296), r.id").ListAsync(Read, cancellationToken).ConfigureAwait(false),
            cancellationToken);

    public Task<Contact?> GetByE164Async(string e164, CancellationToken cancellationToken = default)
        => this.db.ReadAsync((c, t) => c.Command(t, Select + " WHERE r.e164 = $v").With("$v", e164).FirstOrDefaultAsync(Read, cancellationToken), cancellationToken);

    public Task<Contact?> GetByAciAsync(Guid aci, CancellationToken cancellationToken = default)
        => this.db.ReadAsync((c, t) => c.Command(t, Select + " WHERE r.aci = $v").With("$v", aci).FirstOrDefaultAsync(Read, cancellationToken), cancellationToken);

    /// <summary>Blocks or unblocks the recipient, putting them on the contact list when they were not.</summary>
    public Task SetBlockedAsync(long recipientId, bool blocked, CancellationToken cancellationToken = default)
        => this.db.WriteAsync((c, t) => c.Command(t, """
                INSERT INTO contacts (recipient_id, blocked, updated_at) VALUES ($id, $b, $now)
                ON CONFLICT (recipient_id) DO UPDATE SET blocked = excluded.blocked, updated_at = excluded.updated_at
                """).With("$id", recipientId).With("$b", blocked).With("$now", this.db.NowMillis()).ExecuteAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Makes exactly <paramref name="blockedRecipientIds"/> the blocked contacts (a blocked-list sync from the
    /// primary device), adding those not on the list.
    /// </summary>
    public Task ReplaceBlockedAsync(IReadOnlyCollection<long> blockedRecipientIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blockedRecipientIds);
        return this.db.WriteAsync(async (c, t) =>
        {
            await c.Command(t, "UPDATE contacts SET blocked = 0, updated_at = $now WHERE blocked <> 0").With("$now", this.db.NowMillis())
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            foreach (var id in blockedRecipientIds)
            {
                await c.Command(t, """
                        INSERT INTO contacts (recipient_id, blocked, updated_at) VALUES ($id, 1, $now)
                        ON CONFLICT (recipient_id) DO UPDATE SET blocked = 1, updated_at = excluded.updated_at
                        """).With("$id", id).With("$now", this.db.NowMillis()).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>Whether the recipient with this ACI is a blocked contact.</summary>
    public Task<bool> IsBlockedAsync(Guid aci, CancellationToken cancellationToken = default)
        => this.db.ReadAsync(async (c, t) => await c.Command(t, "SELECT count(*) FROM contacts c JOIN recipients r ON r.id = c.recipient_id WHERE r.aci = $a AND c.blocked <> 0")
            .With("$a", aci).ScalarAsync(cancellationToken).ConfigureAwait(false) is long n && n > 0, cancellationToken);

    /// <summary>Sets the name the user gives the contact (null: none), putting them on the contact list when they were not.</summary>
    public Task SetNameAsync(long recipientId, string? name, CancellationToken cancellationToken = default)
        => this.db.WriteAsync((c, t) => c.Command(t, """
                INSERT INTO contacts (recipient_id, name, updated_at) VALUES ($id, $name, $now)
                ON CONFLICT (recipient_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
                """).With("$id", recipientId).With("$name", name).With("$now", this.db.NowMillis()).ExecuteAsync(cancellationToken), cancellationToken);

    public Task<bool> RemoveAsync(long recipientId, CancellationToken cancellationToken = default)
        => this.db.WriteAsync(async (c, t) => await c.Command(t, "DELETE FROM contacts WHERE recipient_id = $id").With("$id", recipientId)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0, cancellationToken);

    private Task<int> UpsertAsync(SqliteConnection c, SqliteTransaction t, long recipientId, ContactSyncEntry entry, CancellationToken cancellationToken)
        => c.Command(t, """
                INSERT INTO contacts (recipient_id, name, color, expiration_timer, blocked, archived, inbox_position, updated_at)
                VALUES ($id, $name, $color, $timer, $blocked, $archived, $pos, $now)
                ON CONFLICT (recipient_id) DO UPDATE SET
                    name = excluded.name, color = excluded.color, expiration_timer = excluded.expiration_timer,
                    blocked = excluded.blocked OR contacts.blocked, archived = excluded.archived, inbox_position = excluded.inbox_position,
                    updated_at = excluded.updated_at
                """)
            .With("$id", recipientId).With("$name", entry.Name).With("$color", entry.Color).With("$timer", entry.ExpirationTimerSeconds)
            .With("$blocked", entry.Blocked).With("$archived", entry.Archived).With("$pos", entry.InboxPosition).With("$now", this.db.NowMillis())
            .ExecuteAsync(cancellationToken);

    private static Contact Read(SqliteDataReader r) => new(
        RecipientStore.Read(r, 0), r.GetStringOrNull(7), r.GetStringOrNull(8), (uint)r.GetInt64(9), r.GetInt64(10) != 0,
        r.GetInt64(11) != 0, r.GetInt64OrNull(12) is { } p ? (uint)p : null);
}
