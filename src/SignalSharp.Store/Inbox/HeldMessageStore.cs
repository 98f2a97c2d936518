using Microsoft.Data.Sqlite;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Inbox;

/// <summary>
/// A received message kept out of the inbox until its attachments are downloaded: <see cref="Item"/> is the inbox
/// item it becomes, <see cref="Pointers"/> the serialized AttachmentPointer protobuf of each attachment, in order.
/// </summary>
public sealed record HeldMessage(long Id, InboxItem Item, IReadOnlyList<byte[]> Pointers);

/// <summary>
/// Messages whose envelope is stored and acked but whose attachments are still to be fetched. Holding them here
/// (written in the same transaction as the session change) lets the receiver ack at once while the downloads run
/// outside any transaction; a hold survives a restart and is resumed. Once its downloads finished or failed, the
/// caller inserts the resulting inbox items and <see cref="DeleteAsync"/>s the hold in one transaction, so the
/// message reaches clients exactly once and only complete.
/// </summary>
public sealed class HeldMessageStore
{
    internal const string Schema = """
        CREATE TABLE held_messages (
            id               INTEGER PRIMARY KEY AUTOINCREMENT,
            kind             INTEGER NOT NULL,
            timestamp        INTEGER NOT NULL,
            server_timestamp INTEGER NOT NULL,
            sender_aci       TEXT,
            sender_e164      TEXT,
            sender_device    INTEGER,
            body             TEXT,
            group_id         BLOB,
            raw_content      BLOB,
            held_at          INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX held_messages_dedupe ON held_messages (sender_aci, sender_device, timestamp);
        CREATE TABLE held_attachments (
            held_id      INTEGER NOT NULL REFERENCES held_messages (id) ON DELETE CASCADE,
            position     INTEGER NOT NULL,
            content_type TEXT,
            file_name    TEXT,
            size         INTEGER,
            pointer      BLOB NOT NULL,
            PRIMARY KEY (held_id, position)
        ) STRICT, WITHOUT ROWID;

        """;

    private const string Columns = "id, kind, timestamp, server_timestamp, sender_aci, sender_e164, sender_device, body, group_id, raw_content";

    private readonly StoreScope db;

    internal HeldMessageStore(StoreScope db) => this.db = db;

    /// <summary>
    /// Holds <paramref name="item"/> (its <see cref="InboxItem.Attachments"/> give the metadata) with one pointer per
    /// attachment; returns the hold's id, or null when the same sender device and timestamp is already held.
    /// </summary>
    public Task<long?> HoldAsync(InboxItem item, IReadOnlyList<byte[]> pointers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(pointers);
        if (pointers.Count != item.Attachments.Count)
        {
            throw new ArgumentException("one pointer per attachment", nameof(pointers));
        }

        return this.db.WriteAsync(async (c, t) =>
        {
            var id = await c.Command(t, """
                    INSERT INTO held_messages (kind, timestamp, server_timestamp, sender_aci, sender_e164, sender_device, body,
                        group_id, raw_content, held_at)
                    VALUES ($kind, $ts, $server_ts, $aci, $e164, $device, $body, $group, $raw, $now)
                    ON CONFLICT (sender_aci, sender_device, timestamp) DO NOTHING
                    RETURNING id
                    """)
                .With("$kind", (long)item.Kind).With("$ts", item.Timestamp).With("$server_ts", item.ServerTimestamp)
                .With("$aci", item.Sender?.Aci).With("$e164", item.Sender?.E164).With("$device", item.Sender?.Device)
                .With("$body", item.Body).With("$group", item.GroupId).With("$raw", item.RawContent)
                .With("$now", this.db.NowMillis())
                .ScalarAsync(cancellationToken).ConfigureAwait(false);
            if (id is null)
            {
                return (long?)null;
            }

            var holdId = (long)id;
            for (var i = 0; i < pointers.Count; i++)
            {
                var a = item.Attachments[i];
                await c.Command(t, """
                        INSERT INTO held_attachments (held_id, position, content_type, file_name, size, pointer)
                        VALUES ($held, $pos, $type, $name, $size, $pointer)
                        """)
                    .With("$held", holdId).With("$pos", i).With("$type", a.ContentType).With("$name", a.FileName)
                    .With("$size", a.Size).With("$pointer", pointers[i])
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            return holdId;
        }, cancellationToken);
    }

    /// <summary>Every held message, oldest first (to resume their downloads after a start).</summary>
    public Task<IReadOnlyList<HeldMessage>> ListAsync(CancellationToken cancellationToken = default)
        => this.db.ReadAsync(async (c, t) =>
        {
            var items = await c.Command(t, $"SELECT {Columns} FROM held_messages ORDER BY id").ListAsync(ReadItem, cancellationToken).ConfigureAwait(false);
            if (items.Count == 0)
            {
                return (IReadOnlyList<HeldMessage>)[];
            }

            var rows = await c.Command(t, "SELECT held_id, content_type, file_name, size, pointer FROM held_attachments ORDER BY held_id, position")
                .ListAsync(r => (Id: r.GetInt64(0), Attachment: new InboxAttachment(r.GetStringOrNull(1), r.GetStringOrNull(2), r.GetInt64OrNull(3)),
                    Pointer: (byte[])r.GetValue(4)), cancellationToken)
                .ConfigureAwait(false);
            var byHold = rows.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.ToList());
            return items.Select(i =>
            {
                var attachments = byHold.TryGetValue(i.Id, out var list) ? list : [];
                return new HeldMessage(i.Id, i with { Id = 0, Attachments = attachments.Select(a => a.Attachment).ToArray() },
                    attachments.Select(a => a.Pointer).ToArray());
            }).ToList();
        }, cancellationToken);

    /// <summary>Ends a hold (its items went to the inbox in the same transaction); false when it was not held.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        // Foreign keys are not enforced on these connections, so the attachments go explicitly.
        var deleted = await this.db.WriteAsync(async (c, t) =>
        {
            await c.Command(t, "DELETE FROM held_attachments WHERE held_id = $id").With("$id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return await c.Command(t, "DELETE FROM held_messages WHERE id = $id").With("$id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return deleted > 0;
    }

    /// <summary>How many messages wait for their attachments.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken = default)
        => this.db.ReadAsync(async (c, t) => (long)(await c.Command(t, "SELECT count(*) FROM held_messages")
            .ScalarAsync(cancellationToken).ConfigureAwait(false))!, cancellationToken);

    private static InboxItem ReadItem(SqliteDataReader r)
    {
        var aci = r.GetGuidOrNull(4);
        var e164 = r.GetStringOrNull(5);
        var device = r.GetInt64OrNull(6);
        return new InboxItem
        {
            Id = r.GetInt64(0),
            Kind = (InboxItemKind)r.GetInt64(1),
            Timestamp = r.GetUInt64(2),
            ServerTimestamp = r.GetUInt64(3),
            Sender = aci is null && e164 is null && device is null ? null : new InboxSender(aci, e164, device is { } d ? (uint)d : null),
            Body = r.GetStringOrNull(7),
            GroupId = r.GetBytesOrNull(8),
            RawContent = r.GetBytesOrNull(9),
        };
    }
}
