using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Inbox;

/// <summary>How an inbox item is written to and read from its rows (<c>inbox</c>, <c>inbox_attachments</c>); no leasing or delivery rules.</summary>
internal static class InboxRows
{
    /// <summary>The inbox columns <see cref="ReadItem"/> reads, in its order.</summary>
    public const string Columns = "id, kind, timestamp, server_timestamp, sender_aci, sender_e164, sender_device, body, group_id, "
        + "reaction_emoji, reaction_target_aci, reaction_target_e164, reaction_target_timestamp, reaction_remove, "
        + "status, error_message, raw_content, received_at, delivered_at";

    /// <summary>Inserts one item and its attachments, or nothing when it is a duplicate.</summary>
    public static async Task<InboxInsertResult> InsertOneAsync(SqliteConnection c, SqliteTransaction t, InboxItem item, long now, CancellationToken cancellationToken)
    {
        var id = await c.Command(t, """
                INSERT INTO inbox (kind, timestamp, server_timestamp, sender_aci, sender_e164, sender_device, body, group_id,
                    reaction_emoji, reaction_target_aci, reaction_target_e164, reaction_target_timestamp, reaction_remove,
                    status, error_message, raw_content, received_at)
                VALUES ($kind, $ts, $server_ts, $aci, $e164, $device, $body, $group, $r_emoji, $r_aci, $r_e164, $r_ts, $r_remove,
                    $status, $error, $raw, $now)
                ON CONFLICT (sender_aci, sender_device, timestamp) DO NOTHING
                RETURNING id
                """)
            .With("$kind", (long)item.Kind).With("$ts", item.Timestamp).With("$server_ts", item.ServerTimestamp)
            .With("$aci", item.Sender?.Aci).With("$e164", item.Sender?.E164).With("$device", item.Sender?.Device)
            .With("$body", item.Body).With("$group", item.GroupId)
            .With("$r_emoji", item.Reaction?.Emoji).With("$r_aci", item.Reaction?.TargetAuthorAci)
            .With("$r_e164", item.Reaction?.TargetAuthorE164).With("$r_ts", item.Reaction?.TargetTimestamp)
            .With("$r_remove", item.Reaction?.Remove)
            .With("$status", item.StatusCode).With("$error", item.ErrorMessage).With("$raw", item.RawContent)
            .With("$now", now)
            .ScalarAsync(cancellationToken).ConfigureAwait(false);
        if (id is null)
        {
            return new InboxInsertResult(false, 0);
        }

        var itemId = (long)id;
        for (var i = 0; i < item.Attachments.Count; i++)
        {
            var a = item.Attachments[i];
            await c.Command(t, """
                    INSERT INTO inbox_attachments (item_id, position, content_type, file_name, size, local_path, remote_id, caption)
                    VALUES ($item, $pos, $type, $name, $size, $path, $remote, $caption)
                    """)
                .With("$item", itemId).With("$pos", i).With("$type", a.ContentType).With("$name", a.FileName)
                .With("$size", a.Size).With("$path", a.LocalPath).With("$remote", a.RemoteId).With("$caption", a.Caption)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        return new InboxInsertResult(true, itemId);
    }

    /// <summary>The items with their attachments read in.</summary>
    public static async Task<IReadOnlyList<InboxItem>> WithAttachmentsAsync(SqliteConnection c, SqliteTransaction? t, List<InboxItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return items;
        }

        // The ids are our own integers, so they can be written into the statement.
        var ids = new StringBuilder();
        foreach (var item in items)
        {
            ids.Append(ids.Length == 0 ? "" : ",").Append(item.Id.ToString(CultureInfo.InvariantCulture));
        }

        var rows = await c.Command(t, $"""
                SELECT item_id, content_type, file_name, size, local_path, remote_id, caption
                FROM inbox_attachments WHERE item_id IN ({ids}) ORDER BY item_id, position
                """)
            .ListAsync(r => (ItemId: r.GetInt64(0), Attachment: new InboxAttachment(r.GetStringOrNull(1), r.GetStringOrNull(2),
                r.GetInt64OrNull(3), r.GetStringOrNull(4), r.GetStringOrNull(5), r.GetStringOrNull(6))), cancellationToken)
            .ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return items;
        }

        var byItem = rows.GroupBy(r => r.ItemId).ToDictionary(g => g.Key, g => (IReadOnlyList<InboxAttachment>)g.Select(r => r.Attachment).ToArray());
        return items.Select(i => byItem.TryGetValue(i.Id, out var a) ? i with { Attachments = a } : i).ToList();
    }

    /// <summary>One row of <see cref="Columns"/>.</summary>
    public static InboxItem ReadItem(SqliteDataReader r)
    {
        var aci = r.GetGuidOrNull(4);
        var e164 = r.GetStringOrNull(5);
        var device = r.GetInt64OrNull(6);
        var emoji = r.GetStringOrNull(9);
        var delivered = r.GetInt64OrNull(18);
        return new InboxItem
        {
            Id = r.GetInt64(0),
            Kind = (InboxItemKind)r.GetInt64(1),
            Timestamp = r.GetUInt64(2),
            ServerTimestamp = r.GetUInt64(3),
            Sender = aci is null && e164 is null && device is null ? null : new InboxSender(aci, e164, device is { } d ? (uint)d : null),
            Body = r.GetStringOrNull(7),
            GroupId = r.GetBytesOrNull(8),
            Reaction = emoji is null ? null : new InboxReaction(emoji, r.GetGuidOrNull(10), r.GetStringOrNull(11),
                unchecked((ulong)(r.GetInt64OrNull(12) ?? 0)), r.GetInt64OrNull(13) is 1),
            StatusCode = (int)r.GetInt64(14),
            ErrorMessage = r.GetStringOrNull(15),
            RawContent = r.GetBytesOrNull(16),
            ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(17)),
            DeliveredAt = delivered is > 0 and var ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            LeasedAt = delivered is < 0 and var lease ? DateTimeOffset.FromUnixTimeMilliseconds(-lease) : null,
        };
    }
}
