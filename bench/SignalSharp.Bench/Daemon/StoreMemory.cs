using System.Globalization;
using SignalSharp.Store;

namespace SignalSharp.Bench.Daemon;

/// <summary>
/// What one account's SQLite database costs in native memory (SQLite's own allocator count, sqlite3_memory_used):
/// N account databases opened side by side in this process, then a few reads at once on each (which opens its
/// read-only connections). The figure multi-account mode multiplies by the number of accounts.
/// Usage: store-memory [--accounts N] [--concurrent-reads N]
/// </summary>
internal static class StoreMemory
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(DaemonLoad.Option(args, "--accounts") ?? "50", CultureInfo.InvariantCulture);
        var reads = int.Parse(DaemonLoad.Option(args, "--concurrent-reads") ?? "4", CultureInfo.InvariantCulture);
        var work = Directory.CreateTempSubdirectory("signal-sharp-bench-store-").FullName;
        var databases = new List<AccountDatabase>();
        try
        {
            SQLitePCL.Batteries_V2.Init();
            var start = SQLitePCL.raw.sqlite3_memory_used();
            for (var i = 0; i < count; i++)
            {
                databases.Add(await AccountDatabase.OpenAsync(Path.Combine(work, $"a{i}")));
            }

            var opened = SQLitePCL.raw.sqlite3_memory_used();
            foreach (var db in databases)
            {
                await Task.WhenAll(Enumerable.Range(0, reads).Select(_ => Task.Run(() => db.Settings.GetStringAsync("number"))));
            }

            var read = SQLitePCL.raw.sqlite3_memory_used();
            PrintConnectionStatus(databases[0].DatabasePath);
            await AccountDatabase.ReleaseMemoryOfAllAsync();
            var shrunk = SQLitePCL.raw.sqlite3_memory_used();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store-memory: {count} databases; SQLite memory per database: {(opened - start) / 1024.0 / count:F0} KiB opened (writer), "
                + $"{(read - start) / 1024.0 / count:F0} KiB after {reads} concurrent reads each, {(shrunk - start) / 1024.0 / count:F0} KiB after ReleaseMemoryAsync"));
            return 0;
        }
        finally
        {
            foreach (var db in databases)
            {
                await db.DisposeAsync();
            }

            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>What one connection to an account database holds after a read: schema, page cache, statements, lookaside (sqlite3_db_status).</summary>
    private static void PrintConnectionStatus(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT count(*) FROM sqlite_schema";
            command.ExecuteScalar();
        }

        var handle = connection.Handle!;
        int Status(int op, bool highwater = false)
        {
            SQLitePCL.raw.sqlite3_db_status(handle, op, out var current, out var high, 0);
            return highwater ? high : current;
        }

        // SQLITE_DBSTATUS_*: 0 lookaside slots used, 1 cache bytes, 2 schema bytes, 3 statement bytes.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store-memory: one connection after a read: schema {Status(2) / 1024.0:F0} KiB, page cache {Status(1) / 1024.0:F0} KiB, statements {Status(3) / 1024.0:F0} KiB, lookaside slots used {Status(0)} (high {Status(0, highwater: true)}), SQLite total {SQLitePCL.raw.sqlite3_memory_used() / 1024.0:F0} KiB in the process"));
    }
}
