using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SignalSharp.Account.Groups;

/// <summary>
/// The group manager's background work (fetches a message asked for, storage syncs, avatar downloads), run one item
/// at a time on one task, never on the receive loop; a failing item is logged and the next one runs.
/// </summary>
internal sealed class GroupWorkQueue(ILogger logger)
{
    private readonly Channel<Func<CancellationToken, Task>> work = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new() { SingleReader = true });
    private Task? worker;

    public void Start(CancellationToken stopping) => worker ??= Task.Run(() => RunAsync(stopping), CancellationToken.None);

    public void Post(Func<CancellationToken, Task> item) => work.Writer.TryWrite(item);

    /// <summary>Takes no more work and waits for the item under way (the stopping token given to <see cref="Start"/> ends it).</summary>
    public async Task StopAsync()
    {
        work.Writer.TryComplete();
        if (worker is not null)
        {
            try
            {
                await worker.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var item in work.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await item(stopping).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    AccountLog.GroupLearningFailed(logger, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
