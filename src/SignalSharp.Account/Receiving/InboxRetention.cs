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

        DeleteFiles(pruned.Files);
        await db.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        Swept(logger, pruned.Items, pruned.Files.Count);
        return pruned.Items;
    }

    /// <summary>
    /// Removes delivered view-once items and their files at once: the sender asked for one viewing, so nothing of
    /// them stays on disk after the one handing out (the keep time for re-reading does not apply to them).
    /// </summary>
    public async Task RemoveViewOnceAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            var pruned = await db.Inbox.PruneDeliveredItemsAsync(ids, cancellationToken).ConfigureAwait(false);
            DeleteFiles(pruned.Files);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The handing out stands (it is confirmed); the next sweep removes what is left after the keep time.
            ViewOnceNotRemoved(logger, e.GetType().Name);
        }
    }

    private void DeleteFiles(IReadOnlyList<string> files)
    {
        foreach (var file in files)
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
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention: {Items} delivered items and {Files} attachment files deleted")]
    private static partial void Swept(ILogger logger, int items, int files);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: a delivered attachment file could not be deleted ({ErrorType})")]
    private static partial void FileNotDeleted(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: a view-once item could not be removed at once ({ErrorType}); the next sweep removes it")]
    private static partial void ViewOnceNotRemoved(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed ({ErrorType}); trying again later")]
    private static partial void SweepFailed(ILogger logger, string errorType);
}
