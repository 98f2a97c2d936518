using Microsoft.Data.Sqlite;
using SignalSharp.Store.Errors;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Tests.Schema;

public sealed class AccountDatabaseTests
{
    private static readonly string[] ExpectedTables =
    [
        "account_settings", "contacts", "identities", "inbox", "inbox_attachments", "kyber_prekey_uses", "kyber_prekeys", "own_identities",
        "prekeys", "recipients", "sender_keys", "sessions", "signed_prekeys",
        "group_distributions", "group_members", "groups", "sender_key_shared", "held_attachments", "held_messages", "send_log",
        "expiration_timers", "profiles", "blocked_groups", "sticker_packs", "sticker_pack_stickers",
    ];

    [Fact]
    public async Task Empty_directory_gets_the_full_schema_in_WAL_mode_with_foreign_keys()
    {
        await using var t = await TestDatabase.OpenAsync();
        Assert.Equal(Migrations.LatestVersion, t.Db.SchemaVersion);
        Assert.Equal(Migrations.LatestVersion, await Scalar<long>(t.Db, "PRAGMA user_version"));
        Assert.Equal("wal", await Scalar<string>(t.Db, "PRAGMA journal_mode"));
        Assert.Equal(1L, await Scalar<long>(t.Db, "PRAGMA foreign_keys"));
        Assert.True(await Scalar<long>(t.Db, "PRAGMA busy_timeout") >= 1000);
        var tables = await t.Db.ReadAsync<IReadOnlyList<string>>(async (c, tx) =>
            await c.Command(tx, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                .ListAsync(r => r.GetString(0), default), default);
        Assert.Equal(ExpectedTables.Order(StringComparer.Ordinal), tables);
    }

    [Theory]
    [InlineData(Durability.Normal, 1L)]
    [InlineData(Durability.Full, 2L)]
    public async Task Durability_option_sets_synchronous_on_writer_and_readers(Durability durability, long expected)
    {
        using var dir = new TempDirectory();
        await using var db = await AccountDatabase.OpenAsync(dir.Account, new AccountDatabaseOptions { Durability = durability });
        Assert.Equal(expected, await Scalar<long>(db, "PRAGMA synchronous"));
        Assert.Equal(expected, await db.WriteAsync(async (c, tx) => (long)(await c.Command(tx, "PRAGMA synchronous").ScalarAsync(default))!, default));
    }

    [Fact]
    public async Task The_writer_and_the_readers_get_the_page_cache_bounds_of_the_options()
    {
        using var dir = new TempDirectory();
        await using var db = await AccountDatabase.OpenAsync(dir.Account, new AccountDatabaseOptions { WriterCacheKiB = 1536, ReaderCacheKiB = 384 });
        // Negative cache_size = KiB.
        Assert.Equal(-384L, await Scalar<long>(db, "PRAGMA cache_size"));
        Assert.Equal(-1536L, await db.WriteAsync(async (c, tx) => (long)(await c.Command(tx, "PRAGMA cache_size").ScalarAsync(default))!, default));
    }

    [Fact]
    public async Task By_default_the_page_caches_are_below_sqlites_own_2000_KiB_per_connection()
    {
        using var dir = new TempDirectory();
        await using var db = await AccountDatabase.OpenAsync(dir.Account);
        Assert.InRange(-await Scalar<long>(db, "PRAGMA cache_size"), 64, 512);
        Assert.InRange(-await db.WriteAsync(async (c, tx) => (long)(await c.Command(tx, "PRAGMA cache_size").ScalarAsync(default))!, default), 64, 1024);
    }

    [Fact]
    public void Default_durability_is_normal()
    {
        Assert.Equal(Durability.Normal, new AccountDatabaseOptions().Durability);
    }

    [Fact]
    public async Task Reopening_keeps_data_and_runs_no_migration_twice()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Settings.SetStringAsync("number", "+15551234567");
        await t.ReopenAsync();
        Assert.Equal(Migrations.LatestVersion, t.Db.SchemaVersion);
        Assert.Equal("+15551234567", await t.Db.Settings.GetStringAsync("number"));
    }

    [Fact]
    public async Task An_older_schema_is_upgraded_step_by_step_keeping_its_rows()
    {
        using var dir = new TempDirectory();
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var v2 = Migrations.All.Where(m => m.Version <= 2).ToList();
        await using (var old = await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(time), v2, default))
        {
            Assert.Equal(2, old.SchemaVersion);
            await old.Recipients.ResolveAsync(Guid.NewGuid(), null, "+15550000001");
            await Assert.ThrowsAsync<SqliteException>(() => Scalar<long>(old, "SELECT count(*) FROM inbox"));
        }
        await using var db = await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(time));
        Assert.Equal(Migrations.LatestVersion, db.SchemaVersion);
        Assert.NotNull(await db.Recipients.GetByE164Async("+15550000001"));
        Assert.Equal(0L, await Scalar<long>(db, "SELECT count(*) FROM inbox"));
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_entirely()
    {
        using var dir = new TempDirectory();
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var broken = Migrations.All.Append(new Migration(Migrations.LatestVersion + 1, "broken",
            "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n")).ToList();
        var e = await Assert.ThrowsAsync<MigrationFailedException>(() => AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(time), broken, default));
        Assert.Equal(Migrations.LatestVersion + 1, e.Version);

        await using var db = await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(time));
        Assert.Equal(Migrations.LatestVersion, db.SchemaVersion);
        Assert.Equal(0L, await Scalar<long>(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'"));
    }

    [Fact]
    public async Task A_database_from_a_newer_build_is_refused()
    {
        using var dir = new TempDirectory();
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var newer = Migrations.All.Append(new Migration(Migrations.LatestVersion + 5, "future", "CREATE TABLE future (x INTEGER);\n")).ToList();
        await (await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(time), newer, default)).DisposeAsync();
        var e = await Assert.ThrowsAsync<SchemaTooNewException>(() => AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(time)));
        Assert.Equal(Migrations.LatestVersion + 5, e.FoundVersion);
        Assert.Equal(Migrations.LatestVersion, e.SupportedVersion);
    }

    [Fact]
    public void Migration_versions_are_consecutive_from_one()
    {
        Assert.Equal(Enumerable.Range(1, Migrations.All.Count), Migrations.All.Select(m => m.Version));
    }

    [Fact]
    public async Task Writes_that_throw_leave_nothing_behind()
    {
        await using var t = await TestDatabase.OpenAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => t.Db.WriteAsync(async (c, tx) =>
        {
            await c.Command(tx, "INSERT INTO account_settings (key, value) VALUES ('a', 1)").ExecuteAsync(default);
            throw new InvalidOperationException("boom");
        }, default));
        Assert.Null(await t.Db.Settings.GetInt64Async("a"));
    }

    [Fact]
    public async Task Readers_run_while_a_write_transaction_is_open()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Settings.SetInt64Async("n", 1);
        var inside = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var writer = t.Db.WriteAsync(async (c, tx) =>
        {
            await c.Command(tx, "UPDATE account_settings SET value = 2 WHERE key = 'n'").ExecuteAsync(default);
            inside.SetResult();
            await release.Task;
        }, default);
        await inside.Task;
        // WAL: the reader is not blocked and sees the last committed value.
        Assert.Equal(1L, await t.Db.Settings.GetInt64Async("n"));
        release.SetResult();
        await writer;
        Assert.Equal(2L, await t.Db.Settings.GetInt64Async("n"));
    }

    [Fact]
    public async Task Settings_round_trip_by_type_and_null_removes()
    {
        await using var t = await TestDatabase.OpenAsync();
        var s = t.Db.Settings;
        await s.SetStringAsync("str", "hello ✓");
        await s.SetBytesAsync("bytes", [1, 2, 3]);
        await s.SetInt64Async("long", long.MinValue);
        await s.SetBooleanAsync("flag", true);
        Assert.Equal("hello ✓", await s.GetStringAsync("str"));
        Assert.Equal(new byte[] { 1, 2, 3 }, await s.GetBytesAsync("bytes"));
        Assert.Equal(long.MinValue, await s.GetInt64Async("long"));
        Assert.True(await s.GetBooleanAsync("flag"));
        await Assert.ThrowsAsync<CorruptRecordException>(() => s.GetBytesAsync("long"));
        await s.SetStringAsync("str", null);
        Assert.Null(await s.GetStringAsync("str"));
        Assert.True(await s.RemoveAsync("flag"));
        Assert.False(await s.RemoveAsync("flag"));
        Assert.Null(await s.GetBooleanAsync("flag"));
    }

    [Fact]
    public async Task Use_after_dispose_throws()
    {
        var t = await TestDatabase.OpenAsync();
        var settings = t.Db.Settings;
        await t.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => settings.SetStringAsync("a", "b"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => settings.GetStringAsync("a"));
    }

    internal static Task<T> Scalar<T>(AccountDatabase db, string sql)
        => db.ReadAsync(async (c, tx) => (T)(await c.Command(tx, sql).ScalarAsync(default))!, default);
}
