using Microsoft.Data.Sqlite;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Tests.Schema;

/// <summary>The prepared statements kept per connection, and transactions with and without a savepoint per store call.</summary>
public sealed class StatementCacheTests
{
    private static async Task<SqliteConnection> MemoryAsync()
    {
        SQLitePCL.Batteries_V2.Init();
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await connection.Command("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)").ExecuteAsync(default);
        return connection;
    }

    [Fact]
    public async Task A_statement_is_prepared_once_per_connection_and_reused_with_new_values()
    {
        await using var connection = await MemoryAsync();
        var first = connection.Command("INSERT INTO t (k, v) VALUES ($k, $v)");
        await first.With("$k", 1).With("$v", "one").ExecuteAsync(default);
        var second = connection.Command("INSERT INTO t (k, v) VALUES ($k, $v)");
        Assert.Same(first, second);
        await second.With("$k", 2).With("$v", "two").ExecuteAsync(default);

        Assert.Equal("one", await connection.Command("SELECT v FROM t WHERE k = $k").With("$k", 1).ScalarAsync(default));
        Assert.Equal("two", await connection.Command("SELECT v FROM t WHERE k = $k").With("$k", 2).ScalarAsync(default));

        await using var other = await MemoryAsync();
        Assert.NotSame(first, other.Command("INSERT INTO t (k, v) VALUES ($k, $v)"));
    }

    [Fact]
    public async Task A_call_binds_only_its_own_values_never_those_of_the_call_before()
    {
        await using var connection = await MemoryAsync();
        await connection.Command("INSERT INTO t (k, v) VALUES ($k, $v)").With("$k", 1).With("$v", "one").ExecuteAsync(default);

        // Had the first call's $k stayed bound, this would read row 1; SQLite's statement is the same object.
        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.Command("SELECT v FROM t WHERE k = $k").ScalarAsync(default));
        Assert.Equal("one", await connection.Command("SELECT v FROM t WHERE k = $k").With("$k", 1).ScalarAsync(default));
    }

    [Fact]
    public async Task Two_commands_of_the_same_text_out_at_once_keep_their_own_parameters()
    {
        await using var connection = await MemoryAsync();
        var a = connection.Command("INSERT INTO t (k, v) VALUES ($k, $v)").With("$k", 1).With("$v", "a");
        var b = connection.Command("INSERT INTO t (k, v) VALUES ($k, $v)").With("$k", 2).With("$v", "b");
        Assert.NotSame(a, b);
        await b.ExecuteAsync(default);
        await a.ExecuteAsync(default);

        var rows = await connection.Command("SELECT k, v FROM t ORDER BY k").ListAsync(r => (r.GetInt64(0), r.GetString(1)), default);
        Assert.Equal([(1L, "a"), (2L, "b")], rows);
    }

    [Fact]
    public async Task A_failed_statement_is_given_back_and_runs_again()
    {
        await using var connection = await MemoryAsync();
        await connection.Command("INSERT INTO t (k, v) VALUES ($k, $v)").With("$k", 1).With("$v", "one").ExecuteAsync(default);
        await Assert.ThrowsAsync<SqliteException>(() => connection.Command("INSERT INTO t (k, v) VALUES ($k, $v)").With("$k", 1).With("$v", "again").ExecuteAsync(default));
        await connection.Command("INSERT INTO t (k, v) VALUES ($k, $v)").With("$k", 2).With("$v", "two").ExecuteAsync(default);
        Assert.Equal(2L, await connection.Command("SELECT count(*) FROM t").ScalarAsync(default));
    }

    [Fact]
    public async Task Statements_prepared_before_a_release_of_memory_are_prepared_again_after_it()
    {
        await using var t = await TestDatabase.OpenAsync();
        await using (var tx = await t.Db.BeginTransactionAsync())
        {
            await tx.Settings.SetStringAsync("number", "+15551234567");
            await tx.CommitAsync();
        }

        await t.Db.ReleaseMemoryAsync();
        await t.Db.Settings.SetStringAsync("number", "+15557654321");
        Assert.Equal("+15557654321", await t.Db.Settings.GetStringAsync("number"));
    }

    [Fact]
    public async Task With_a_savepoint_per_call_a_failed_call_undoes_only_itself()
    {
        await using var t = await TestDatabase.OpenAsync();
        await using (var tx = await t.Db.BeginTransactionAsync())
        {
            await tx.Settings.SetStringAsync("kept", "yes");
            await Assert.ThrowsAsync<InvalidOperationException>(() => WriteThenFailAsync(tx));
            await tx.CommitAsync();
        }

        Assert.Equal("yes", await t.Db.Settings.GetStringAsync("kept"));
        Assert.Null(await t.Db.Settings.GetStringAsync("half"));
    }

    [Fact]
    public async Task An_all_or_nothing_transaction_commits_its_calls_or_rolls_every_one_back()
    {
        await using var t = await TestDatabase.OpenAsync();
        await using (var tx = await t.Db.BeginAllOrNothingTransactionAsync())
        {
            await tx.Settings.SetStringAsync("committed", "yes");
            await tx.CommitAsync();
        }

        await using (var tx = await t.Db.BeginAllOrNothingTransactionAsync())
        {
            await tx.Settings.SetStringAsync("kept", "no");
            await Assert.ThrowsAsync<InvalidOperationException>(() => WriteThenFailAsync(tx));
        }

        Assert.Equal("yes", await t.Db.Settings.GetStringAsync("committed"));
        Assert.Null(await t.Db.Settings.GetStringAsync("kept"));
        Assert.Null(await t.Db.Settings.GetStringAsync("half"));

        // The writer is free again: the rollback ended the transaction.
        await t.Db.Settings.SetStringAsync("after", "yes");
        Assert.Equal("yes", await t.Db.Settings.GetStringAsync("after"));
    }

    /// <summary>A store call that writes a row and then fails.</summary>
    private static Task WriteThenFailAsync(AccountTransaction tx) =>
        tx.Scope.WriteAsync(async (c, transaction) =>
        {
            await c.Command(transaction, "INSERT INTO account_settings (key, value) VALUES ('half', 'written')").ExecuteAsync(default);
            throw new InvalidOperationException("fails after its first write");
        }, default);
}
