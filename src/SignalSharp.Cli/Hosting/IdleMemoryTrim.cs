using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SignalSharp.Store;

namespace SignalSharp.Cli.Hosting;

/// <summary>
/// Gives memory back to the system once a burst of work is over. A daemon is idle most of the time, but after a
/// burst (start-up, a backlog of messages) the GC keeps the regions and the allocation budget the burst grew, and
/// glibc keeps the freed chunks of its per-thread arenas, so RSS stays at the burst's peak for good. Every
/// <see cref="Interval"/> this looks at how much was allocated: when at least <see cref="BurstBytes"/> went by since
/// the last trim and the last interval was quiet (under <see cref="QuietBytes"/>), it frees SQLite's unused cached
/// pages, runs one aggressive, compacting GC (which also returns free regions) and glibc's <c>malloc_trim</c>. Never while work goes on, and only once per
/// burst, so its cost (a full GC of a small heap, a few milliseconds) is paid rarely. No limit is set anywhere: the
/// process may still grow as far as a burst needs.
/// </summary>
internal sealed partial class IdleMemoryTrim : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Allocation since the last trim that makes another one worth it.</summary>
    public const long BurstBytes = 4L << 20;

    /// <summary>At most this much allocated in an interval counts as idle (keepalives, timers).</summary>
    public const long QuietBytes = 256L << 10;

    private readonly Func<long> allocated;
    private readonly Func<Task> trim;
    private readonly CancellationTokenSource stop = new();
    private Task loop = Task.CompletedTask;
    private long atLastTick;
    private long atLastTrim;

    internal IdleMemoryTrim(Func<long> allocated, Func<Task> trim)
    {
        this.allocated = allocated;
        this.trim = trim;
        atLastTick = allocated();
        // Start-up is the first burst.
        atLastTrim = 0;
    }

    /// <summary>Starts trimming this process in the background; dispose to stop.</summary>
    public static IdleMemoryTrim Start(ILogger logger, TimeProvider? time = null)
    {
        IdleMemoryTrim? trimmer = null;
        trimmer = new IdleMemoryTrim(() => GC.GetTotalAllocatedBytes(precise: false), () => TrimProcessAsync(logger, trimmer!.stop.Token));
        trimmer.loop = trimmer.RunAsync(time ?? TimeProvider.System);
        return trimmer;
    }

    /// <summary>One look at the allocations since the last tick; true when it trimmed.</summary>
    internal async Task<bool> TickAsync()
    {
        var now = allocated();
        var quiet = now - atLastTick < QuietBytes;
        atLastTick = now;
        if (!quiet || now - atLastTrim < BurstBytes)
        {
            return false;
        }

        await trim().ConfigureAwait(false);
        // What the trim itself allocated does not count as the next burst.
        atLastTrim = atLastTick = allocated();
        return true;
    }

    private async Task RunAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                await TickAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task TrimProcessAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var before = Environment.WorkingSet;
        // SQLite's unused cached pages first, so that the malloc_trim below can return them too.
        try
        {
            await AccountDatabase.ReleaseMemoryOfAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            // A cache that could not be shrunk now is shrunk after the next burst; the rest of the trim goes on.
            LogSqliteNotShrunk(logger, e.Message);
        }
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // glibc only; returns the free pages of every arena (0 = keep no padding at the top).
                _ = MallocTrim(0);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                // musl and other C libraries have no malloc_trim: the GC part alone is still worth it.
            }
        }

        LogTrimmed(logger, before >> 10, Environment.WorkingSet >> 10);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stop.Dispose();
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [LoggerMessage(EventId = 901, Level = LogLevel.Debug, Message = "idle after a burst: SQLite's caches not shrunk: {Reason}")]
    private static partial void LogSqliteNotShrunk(ILogger logger, string reason);

    [LoggerMessage(EventId = 900, Level = LogLevel.Debug, Message = "idle after a burst: memory given back, working set {BeforeKiB} KiB -> {AfterKiB} KiB")]
    private static partial void LogTrimmed(ILogger logger, long beforeKiB, long afterKiB);
}
