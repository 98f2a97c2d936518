using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Sent;

/// <summary>
/// The Content of each 1:1 message the account sent, by recipient and timestamp, kept for a short while so that a
/// recipient's device that could not decrypt it can ask for it again (a resend request names only the timestamp).
/// Entries older than the caller's limit are never handed out and are deleted on the next write.
/// </summary>
public sealed class SendLogStore
{
    internal const string Schema = """
        CREATE TABLE send_log (
            recipient  TEXT NOT NULL,
            timestamp  INTEGER NOT NULL,
            content    BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (recipient, timestamp)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX send_log_created ON send_log (created_at);

        """;

    private readonly StoreScope db;

    internal SendLogStore(StoreScope db) => this.db = db;

    /// <summary>Records a sent message and deletes entries older than <paramref name="keep"/>.</summary>
    public Task AddAsync(Guid recipient, ulong timestamp, byte[] content, TimeSpan keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return db.WriteAsync(async (c, t) =>
        {
            var now = db.NowMillis();
            await c.Command(t, "DELETE FROM send_log WHERE created_at < $cutoff").With("$cutoff", now - (long)keep.TotalMilliseconds)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await c.Command(t, """
                    INSERT INTO send_log (recipient, timestamp, content, created_at) VALUES ($r, $ts, $c, $now)
                    ON CONFLICT (recipient, timestamp) DO UPDATE SET content = excluded.content, created_at = excluded.created_at
                    """).With("$r", recipient).With("$ts", timestamp).With("$c", content).With("$now", now)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>The Content sent to <paramref name="recipient"/> at <paramref name="timestamp"/>, if logged within <paramref name="maxAge"/>.</summary>
    public Task<byte[]?> GetAsync(Guid recipient, ulong timestamp, TimeSpan maxAge, CancellationToken cancellationToken = default)
        => db.ReadAsync(async (c, t) => await c.Command(t,
                "SELECT content FROM send_log WHERE recipient = $r AND timestamp = $ts AND created_at >= $cutoff")
            .With("$r", recipient).With("$ts", timestamp).With("$cutoff", db.NowMillis() - (long)maxAge.TotalMilliseconds)
            .ScalarAsync(cancellationToken).ConfigureAwait(false) as byte[], cancellationToken);
}
