using Microsoft.Data.Sqlite;
using SignalSharp.Store.Errors;

namespace SignalSharp.Store.Schema;

/// <summary>Brings a database from its <c>PRAGMA user_version</c> up to the newest known migration, one
/// transaction per step, so a crash mid-upgrade leaves a consistent earlier version behind.</summary>
internal static class Migrator
{
    public static async Task<int> MigrateAsync(SqliteConnection connection, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        var current = await ReadVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        var supported = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (current > supported)
        {
            throw new SchemaTooNewException(current, supported);
        }

        foreach (var migration in migrations)
        {
            if (migration.Version <= current)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            using var transaction = connection.BeginTransaction(deferred: false);
            try
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.Transaction = transaction;
                    // user_version cannot be bound as a parameter; the value is our own integer.
                    command.CommandText = migration.Sql + $"\nPRAGMA user_version = {migration.Version};";
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                transaction.Commit();
            }
            catch (SqliteException e)
            {
                transaction.Rollback();
                throw new MigrationFailedException(migration.Version, migration.Name, e);
            }

            current = migration.Version;
        }

        return current;
    }

    public static async Task<int> ReadVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "PRAGMA user_version;";
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
