using Microsoft.Data.Sqlite;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Tests.Schema;

/// <summary>What a daemon going idle gives back: SQLite's cached pages, and readers a burst of concurrent reads opened.</summary>
public sealed class MemoryReleaseTests
{
    [Fact]
    public async Task Releasing_memory_waits_for_an_open_transaction_and_keeps_every_row()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Settings.SetStringAsync("number", "+15551234567");

        Task release;
        await using (var transaction = await t.Db.BeginTransactionAsync())
        {
            release = t.Db.ReleaseMemoryAsync();
            await Task.Delay(100);
            Assert.False(release.IsCompleted);
            await transaction.CommitAsync();
        }

        await release.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("+15551234567", await t.Db.Settings.GetStringAsync("number"));
        await t.Db.Settings.SetStringAsync("number", "+15557654321");
        await AccountDatabase.ReleaseMemoryOfAllAsync();
        Assert.Equal("+15557654321", await t.Db.Settings.GetStringAsync("number"));
    }

    [Fact]
    public async Task A_disposed_database_is_no_longer_released_and_does_not_fail_the_others()
    {
        var disposed = await TestDatabase.OpenAsync();
        await disposed.DisposeAsync();
        await using var open = await TestDatabase.OpenAsync();
        await open.Db.Settings.SetStringAsync("number", "+15551234567");
        await AccountDatabase.ReleaseMemoryOfAllAsync();
        await disposed.Db.ReleaseMemoryAsync();
        Assert.Equal("+15551234567", await open.Db.Settings.GetStringAsync("number"));
    }

    [Fact]
    public async Task The_reader_pool_keeps_one_idle_reader_after_concurrent_reads_and_reuses_it()
    {
        var opened = new List<SqliteConnection>();
        var pool = new ReaderPool(_ =>
        {
            var connection = new SqliteConnection("Data Source=:memory:");
            lock (opened)
            {
                opened.Add(connection);
            }

            return Task.FromResult(connection);
        }, size: 4);
        int Count()
        {
            lock (opened)
            {
                return opened.Count;
            }
        }

        var gate = new TaskCompletionSource();
        var reads = Enumerable.Range(0, 3).Select(_ => pool.UseAsync(async c => { await gate.Task; return c; }, default)).ToList();
        while (Count() < 3)
        {
            await Task.Delay(10);
        }

        gate.SetResult();
        var used = await Task.WhenAll(reads);
        Assert.Equal(3, used.Distinct().Count());

        // The next reads, one at a time, all get the one connection kept: no new one is opened.
        var next = new HashSet<SqliteConnection>();
        for (var i = 0; i < 3; i++)
        {
            next.Add(await pool.UseAsync(c => Task.FromResult(c), default));
        }

        Assert.Single(next);
        Assert.Contains(next.Single(), used);
        Assert.Equal(3, opened.Count);
        await pool.DisposeAsync();
    }

    [Fact]
    public async Task Closing_idle_readers_leaves_the_pool_working_with_a_new_reader()
    {
        var opened = 0;
        var pool = new ReaderPool(_ =>
        {
            Interlocked.Increment(ref opened);
            return Task.FromResult(new SqliteConnection("Data Source=:memory:"));
        }, size: 2);
        var first = await pool.UseAsync(c => Task.FromResult(c), default);
        Assert.Same(first, await pool.UseAsync(c => Task.FromResult(c), default));

        await pool.CloseIdleAsync();
        var second = await pool.UseAsync(c => Task.FromResult(c), default);
        Assert.NotSame(first, second);
        Assert.Equal(2, opened);
        await pool.DisposeAsync();
    }

    [Fact]
    public async Task Reads_after_releasing_memory_open_a_reader_again_and_see_the_rows()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Settings.SetStringAsync("number", "+15551234567");
        Assert.Equal("+15551234567", await t.Db.Settings.GetStringAsync("number"));
        await t.Db.ReleaseMemoryAsync();
        Assert.Equal("+15551234567", await t.Db.Settings.GetStringAsync("number"));
    }
}
