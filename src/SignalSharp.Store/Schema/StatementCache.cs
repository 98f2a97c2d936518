using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace SignalSharp.Store.Schema;

/// <summary>
/// The commands of one connection, kept by their SQL so that each statement is parsed and planned once per connection
/// rather than once per call (Microsoft.Data.Sqlite keeps a command's statement prepared for as long as the command
/// object lives on the same connection and its text does not change; parsing was a visible share of a received
/// envelope's CPU). A connection is used by one flow at a time (the writer under the database's write lock, a reader
/// while borrowed from the pool), so the cache needs no lock. Closing the connection finalizes the statements
/// (Microsoft.Data.Sqlite tracks the commands of a connection); <see cref="Clear"/> does it earlier, to give the
/// memory back when the daemon goes idle.
/// </summary>
internal sealed class StatementCache
{
    // The store's SQL is a fixed set of strings (a few built from column lists or table names); the bound only keeps
    // a text built from data, should one ever appear, from growing the cache without end.
    private const int MaxStatements = 256;

    private static readonly ConditionalWeakTable<SqliteConnection, StatementCache> Caches = new();

    private readonly Dictionary<string, CachedCommand> commands = new(StringComparer.Ordinal);

    /// <summary>
    /// A command for <paramref name="sql"/> on <paramref name="connection"/>, with no parameters, to be given back
    /// through <see cref="Return"/> once executed. A second command of the same text taken while the first is still
    /// out (never done today) gets a command of its own, so two never share parameters.
    /// </summary>
    public static SqliteCommand Take(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var cache = Caches.GetOrCreateValue(connection);
        if (cache.commands.TryGetValue(sql, out var cached))
        {
            if (!cached.Taken)
            {
                cached.Taken = true;
                cached.Transaction = transaction;
                return cached;
            }
        }
        else if (cache.commands.Count < MaxStatements)
        {
            cached = new CachedCommand { Connection = connection, CommandText = sql, Transaction = transaction, Taken = true };
            cache.commands.Add(sql, cached);
            return cached;
        }

        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Gives a command of <see cref="Take"/> back: a cached one drops its parameters (they may hold
    /// message bytes) and waits for the next call; any other is disposed.</summary>
    public static ValueTask ReturnAsync(SqliteCommand command)
    {
        if (command is CachedCommand cached)
        {
            cached.Parameters.Clear();
            cached.Transaction = null;
            cached.Taken = false;
            return ValueTask.CompletedTask;
        }

        return command.DisposeAsync();
    }

    /// <summary>Finalizes the statements kept for <paramref name="connection"/>; the next calls prepare them again.</summary>
    public static void Clear(SqliteConnection connection)
    {
        if (!Caches.TryGetValue(connection, out var cache))
        {
            return;
        }

        foreach (var command in cache.commands.Values)
        {
            command.Dispose();
        }

        cache.commands.Clear();
    }

    private sealed class CachedCommand : SqliteCommand
    {
        public bool Taken { get; set; }
    }
}
