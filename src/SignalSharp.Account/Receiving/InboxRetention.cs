using Microsoft.Extensions.Logging;
using SignalSharp.Store;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// Keeps the disk flat under a steady stream: delivered items older than the keep time go, their attachment files
/// after them (only once the rows are gone, so a crash in between leaves a file without a row, never a row without
/// its file), and the write-ahead log is checkpointed and truncated so the freed pages are reused.
/// </summary>
internal sealed partial class InboxRetention(AccountDatabase db, TimeSpan keepDelivered, TimeSpan interval, ILogger logger)
{
    /// <summary>Sweeps every <c>interval</c> until cancelled; a failed sweep is logged and tried again next time.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await SweepAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SweepFailed(logger, e.GetType().Name);
            }
        }
    }

    /// <summary>One sweep; returns how many items went.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var pruned = await db.Inbox.PruneDeliveredAsync(keepDelivered, cancellationToken).ConfigureAwait(false);
        if (pruned.Items == 0)
        {
            return 0;
        }

        foreach (var file in pruned.Files)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                FileNotDeleted(logger, e.GetType().Name);
            }
        }

        await db.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        Swept(logger, pruned.Items, pruned.Files.Count);
        return pruned.Items;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention: {Items} delivered items and {Files} attachment files deleted")]
    private static partial void Swept(ILogger logger, int items, int files);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: a delivered attachment file could not be deleted ({ErrorType})")]
    private static partial void FileNotDeleted(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed ({ErrorType}); trying again later")]
    private static partial void SweepFailed(ILogger logger, string errorType);
}
