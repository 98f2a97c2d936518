using System.Diagnostics;
using System.Globalization;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Store.Tests.Inbox;

/// <summary>
/// The inbox's promise under SIGKILL: a child process (this test assembly run through <see cref="CrashHost"/>)
/// holds the database and is killed mid-stream; every item it reported as stored is there afterwards, and no
/// item it reported as taken is handed out again.
/// </summary>
public sealed class CrashDurabilityTests
{
    [Theory]
    [InlineData("insert")]
    [InlineData("insert-full")]
    public async Task Every_acknowledged_insert_survives_SIGKILL(string mode)
    {
        using var dir = new TempDirectory();
        var acked = await RunAndKillAsync(mode, dir.Account, 1_000_000, "acked ", stopAfter: 150);
        Assert.True(acked.Count >= 150);

        await using var db = await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(TimeProvider.System));
        Assert.Equal("ok", await Schema.AccountDatabaseTests.Scalar<string>(db, "PRAGMA integrity_check"));
        var stored = (await db.Inbox.TakeAsync(1_000_000)).Select(i => i.Timestamp).ToHashSet();
        foreach (var i in acked)
        {
            Assert.Contains(CrashHost.Item((int)i).Timestamp, stored);
        }

        // At most the one insert in flight at the kill committed without being reported.
        Assert.InRange(stored.Count, acked.Count, acked.Count + 1);
    }

    [Fact]
    public async Task No_item_is_handed_out_twice_across_SIGKILL_and_restart()
    {
        using var dir = new TempDirectory();
        const int Count = 300;
        await using (var db = await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(TimeProvider.System)))
        {
            await db.Inbox.InsertManyAsync(Enumerable.Range(0, Count).Select(CrashHost.Item).ToList());
        }

        var takenBeforeCrash = await RunAndKillAsync("take", dir.Account, 0, "took ", stopAfter: 60);

        await using var reopened = await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(TimeProvider.System));
        var takenAfter = (await reopened.Inbox.TakeAsync(Count)).Select(i => i.Timestamp).ToList();
        Assert.Empty(takenAfter.Intersect(takenBeforeCrash));
        Assert.Equal(takenAfter.Count, takenAfter.Distinct().Count());
        Assert.Equal(takenBeforeCrash.Count, takenBeforeCrash.Distinct().Count());
        // The child may have committed one batch (3) it had no time to print: those are delivered, not lost twice.
        var all = Enumerable.Range(0, Count).Select(i => CrashHost.Item(i).Timestamp).ToHashSet();
        var unaccounted = all.Except(takenBeforeCrash).Except(takenAfter).ToList();
        Assert.InRange(unaccounted.Count, 0, 3);
        Assert.Empty(await reopened.Inbox.TakeAsync(Count));
    }

    [Fact]
    public async Task Leases_of_a_killed_process_are_released_on_reopen_and_confirmed_items_stay_delivered()
    {
        using var dir = new TempDirectory();
        const int Count = 300;
        await using (var db = await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(TimeProvider.System)))
        {
            await db.Inbox.InsertManyAsync(Enumerable.Range(0, Count).Select(CrashHost.Item).ToList());
        }

        var lines = await RunAndKillLinesAsync("lease", dir.Account, 0, "leased ", stopAfter: 60);
        var leased = Numbers(lines, "leased ");
        var confirmed = Numbers(lines, "confirmed ");
        var unconfirmed = leased.Except(confirmed).ToHashSet();
        Assert.NotEmpty(confirmed);
        Assert.NotEmpty(unconfirmed);

        await using var reopened = await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(TimeProvider.System));
        // Until released, an abandoned lease is neither waiting nor delivered: no taker sees it.
        Assert.True(await reopened.Inbox.CountLeasedAsync() >= unconfirmed.Count - 3);
        var neverLeased = (await reopened.Inbox.TakeAsync(Count)).Select(i => i.Timestamp).ToList();
        Assert.Empty(neverLeased.Intersect(leased));

        Assert.True(await reopened.Inbox.ReleaseAbandonedLeasesAsync() > 0);
        Assert.Equal(0, await reopened.Inbox.CountLeasedAsync());
        var released = (await reopened.Inbox.TakeAsync(Count)).Select(i => i.Timestamp).ToList();
        Assert.Empty(released.Intersect(confirmed));
        // One batch (3) may have been confirmed without being reported, one leased without being reported.
        Assert.InRange(unconfirmed.Except(released).Count(), 0, 3);
        Assert.InRange(released.Except(unconfirmed).Count(), 0, 3);
        var all = Enumerable.Range(0, Count).Select(i => CrashHost.Item(i).Timestamp).ToHashSet();
        Assert.InRange(all.Except(neverLeased).Except(released).Except(confirmed).Count(), 0, 3);
    }

    private static List<ulong> Numbers(IEnumerable<string> lines, string prefix) =>
        lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => ulong.Parse(l.AsSpan(prefix.Length), CultureInfo.InvariantCulture)).ToList();

    private static async Task<List<ulong>> RunAndKillAsync(string mode, string directory, int count, string prefix, int stopAfter) =>
        Numbers(await RunAndKillLinesAsync(mode, directory, count, prefix, stopAfter), prefix);

    /// <summary>Starts the child, reads its reports until <paramref name="stopAfter"/> arrived, SIGKILLs it and
    /// returns the lines it wrote (including any read before the kill landed).</summary>
    private static async Task<List<string>> RunAndKillLinesAsync(string mode, string directory, int count, string prefix, int stopAfter)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CrashHost).Assembly.Location);
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
        using var child = Process.Start(start)!;
        var reported = new List<string>();
        var counted = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (counted < stopAfter)
            {
                var line = await child.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException("child exited early: " + await child.StandardError.ReadToEndAsync());
                reported.Add(line);
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    counted++;
                }
            }
        }
        finally
        {
            child.Kill(entireProcessTree: true); // SIGKILL: no clean shutdown, no checkpoint
        }

        // Whatever the child printed before it died counts as reported too.
        var rest = await child.StandardOutput.ReadToEndAsync();
        reported.AddRange(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await child.WaitForExitAsync();
        return reported;
    }
}
