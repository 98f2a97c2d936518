using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Conversations;

/// <summary>A conversation's disappearing-messages timer (0: off) and the version of its last change.</summary>
public readonly record struct ExpirationTimer(uint Seconds, uint Version);

/// <summary>
/// The disappearing-messages timer of each conversation, keyed by the other person's ACI (16 bytes) or the group id
/// (32 bytes), as last set by anyone in it. 1:1 timers carry Signal's version counter: a change is taken only when
/// its version is newer than the one stored, so an old message arriving late cannot turn back a newer setting.
/// </summary>
public sealed class ExpirationTimerStore
{
    internal const string Schema = """
        CREATE TABLE expiration_timers (
            conversation BLOB PRIMARY KEY NOT NULL,
            seconds      INTEGER NOT NULL,
            version      INTEGER NOT NULL
        ) STRICT, WITHOUT ROWID;

        """;

    private readonly StoreScope db;

    internal ExpirationTimerStore(StoreScope db) => this.db = db;

    /// <summary>The conversation's timer, or null when nobody set one that this account saw.</summary>
    public Task<ExpirationTimer?> GetAsync(byte[] conversation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return db.ReadAsync(async (c, t) =>
        {
            var rows = await c.Command(t, "SELECT seconds, version FROM expiration_timers WHERE conversation = $c").With("$c", conversation)
                .ListAsync(r => new ExpirationTimer((uint)r.GetInt64(0), (uint)r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
            return rows.Count == 0 ? (ExpirationTimer?)null : rows[0];
        }, cancellationToken);
    }

    /// <summary>
    /// Stores <paramref name="timer"/> when the conversation has none yet or its version is newer than the stored
    /// one (or, with <paramref name="force"/>, always: a change this account makes itself); returns whether it did.
    /// </summary>
    public Task<bool> SetAsync(byte[] conversation, ExpirationTimer timer, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return db.WriteAsync(async (c, t) => await c.Command(t, """
                INSERT INTO expiration_timers (conversation, seconds, version) VALUES ($c, $s, $v)
                ON CONFLICT (conversation) DO UPDATE SET seconds = excluded.seconds, version = excluded.version
                WHERE $force OR excluded.version > expiration_timers.version
                """).With("$c", conversation).With("$s", (long)timer.Seconds).With("$v", (long)timer.Version).With("$force", force)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0, cancellationToken);
    }
}
