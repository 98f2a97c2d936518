using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SignalSharp.Store.Schema;

/// <summary>Small command helpers so every store binds values the same way: null as NULL, Guid as lowercase
/// text (Microsoft.Data.Sqlite would bind it as a blob), unsigned integers as SQLite's signed 64-bit.</summary>
internal static class Sql
{
    /// <summary>The connection's command for <paramref name="sql"/>, prepared once per connection
    /// (<see cref="StatementCache"/>); the helpers below that execute it give it back.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, SqliteTransaction? transaction, string sql)
        => StatementCache.Take(connection, transaction, sql);

    public static SqliteCommand Command(this SqliteConnection connection, string sql) => connection.Command(null, sql);

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value switch
        {
            null => DBNull.Value,
            Guid g => GuidText(g),
            ulong u => unchecked((long)u),
            uint u => (long)u,
            bool b => b ? 1L : 0L,
            Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
            _ => value,
        });
        return command;
    }

    public static string GuidText(Guid value) => value.ToString("D", CultureInfo.InvariantCulture);

    public static Guid? GetGuidOrNull(this SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : Guid.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture);

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static byte[]? GetBytesOrNull(this SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : (byte[])reader.GetValue(ordinal);

    public static long? GetInt64OrNull(this SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static ulong GetUInt64(this SqliteDataReader reader, int ordinal) => unchecked((ulong)reader.GetInt64(ordinal));

    public static async Task<int> ExecuteAsync(this SqliteCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await StatementCache.ReturnAsync(command).ConfigureAwait(false);
        }
    }

    public static async Task<object?> ScalarAsync(this SqliteCommand command, CancellationToken cancellationToken)
    {
        try
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
        finally
        {
            await StatementCache.ReturnAsync(command).ConfigureAwait(false);
        }
    }

    /// <summary>Reads every row with <paramref name="map"/> and gives the command back.</summary>
    public static async Task<List<T>> ListAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        try
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var list = new List<T>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(map(reader));
                }

                return list;
            }
        }
        finally
        {
            await StatementCache.ReturnAsync(command).ConfigureAwait(false);
        }
    }

    public static async Task<T?> FirstOrDefaultAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        var list = await command.ListAsync(map, cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }
}
