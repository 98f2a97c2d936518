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
/// Memory can also come free long after a burst without any allocation to speak of: connections closed by their idle
/// timers (an account's start-up storage connection, the sealed-sender socket a minute after the last sealed send)
/// hand their TLS state and buffers back to malloc, which keeps them resident. So every
/// <see cref="NativeTrimTicks"/> quiet intervals in a row after the last trim, only <c>malloc_trim</c> runs (no GC,
/// no SQLite work): a walk over malloc's free chunks, cheap beside what a daemon with many accounts holds.
/// </summary>
internal sealed partial class IdleMemoryTrim : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Allocation since the last trim that makes another one worth it.</summary>
    public const long BurstBytes = 4L << 20;

    /// <summary>At most this much allocated in an interval counts as idle (keepalives, timers).</summary>
    public const long QuietBytes = 256L << 10;

    /// <summary>Quiet intervals in a row after the last trim of either kind before a <c>malloc_trim</c> alone.</summary>
    public const int NativeTrimTicks = 6;

    private readonly Func<long> allocated;
    private readonly Func<Task> trim;
    private readonly Action nativeTrim;
    private int quietTicks;
    private readonly CancellationTokenSource stop = new();
    private Task loop = Task.CompletedTask;
    private long atLastTick;
    private long atLastTrim;

    internal IdleMemoryTrim(Func<long> allocated, Func<Task> trim, Action? nativeTrim = null)
    {
        this.allocated = allocated;
        this.trim = trim;
        this.nativeTrim = nativeTrim ?? (() => { });
        atLastTick = allocated();
        // Start-up is the first burst.
        atLastTrim = 0;
    }

    /// <summary>Starts trimming this process in the background; dispose to stop.</summary>
    public static IdleMemoryTrim Start(ILogger logger, TimeProvider? time = null)
    {
        IdleMemoryTrim? trimmer = null;
        trimmer = new IdleMemoryTrim(() => GC.GetTotalAllocatedBytes(precise: false), () => TrimProcessAsync(logger, trimmer!.stop.Token), TrimNative);
        trimmer.loop = trimmer.RunAsync(time ?? TimeProvider.System);
        return trimmer;
    }

    /// <summary>One look at the allocations since the last tick; true when it trimmed (in full: SQLite, GC and malloc).</summary>
    internal async Task<bool> TickAsync()
    {
        var now = allocated();
        var quiet = now - atLastTick < QuietBytes;
        atLastTick = now;
        quietTicks = quiet ? quietTicks + 1 : 0;
        if (!quiet || now - atLastTrim < BurstBytes)
        {
            if (quietTicks >= NativeTrimTicks)
            {
                nativeTrim();
                quietTicks = 0;
            }

            return false;
        }

        await trim().ConfigureAwait(false);
        // What the trim itself allocated does not count as the next burst.
        atLastTrim = atLastTick = allocated();
        quietTicks = 0;
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
        TrimNative();
        LogTrimmed(logger, before >> 10, Environment.WorkingSet >> 10);
    }

    private static void TrimNative()
    {
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
