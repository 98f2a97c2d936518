using Microsoft.Data.Sqlite;

namespace SignalSharp.Store.Schema;

/// <summary>
/// Where a store's statements run: straight on the database (each call its own transaction) or inside an
/// <see cref="AccountTransaction"/> (each call a savepoint of it). Stores are written once against this and
/// handed out bound to one or the other.
/// </summary>
internal abstract class StoreScope(AccountDatabase database)
{
    public AccountDatabase Database { get; } = database;

    /// <summary>Runs <paramref name="work"/> atomically; an exception undoes all of it.</summary>
    public abstract Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a connection that sees this scope's state. The transaction
    /// argument, when non-null, must be set on every command.</summary>
    public abstract Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction?, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="action"/> once this scope's writes are visible to others (never on rollback).</summary>
    public abstract void AfterCommit(Action action);

    public Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken)
        => WriteAsync<bool>(async (c, t) => { await work(c, t).ConfigureAwait(false); return true; }, cancellationToken);

    public long NowMillis() => Database.Time.GetUtcNow().ToUnixTimeMilliseconds();
}
