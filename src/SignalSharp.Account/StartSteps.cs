using Microsoft.Extensions.Logging;

namespace SignalSharp.Account;

/// <summary>
/// The account's start after its socket is up: a step that meets a broken connection (a network blip during
/// start-up) is logged and left to its timer or the next start; the account comes up all the same and the socket's
/// supervisor reconnects. Only the server refusing the device stops the account.
/// </summary>
internal static partial class StartSteps
{
    public static async Task<bool> TolerateAsync(Func<Task<bool>> step, string name, ILogger logger)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (Service.ServiceException e) when (AccountStops.From(e) is null)
        {
            StepFailed(logger, name, e.GetType().Name);
            return false;
        }
    }

    /// <summary>
    /// Runs start-up upkeep that sends do not wait for, on the thread pool; a failure is logged (the step's timer or the
    /// next start tries again), and <paramref name="stopping"/> ends it quietly. <paramref name="hold"/>, a test's, runs first.
    /// </summary>
    public static Task InBackground(Func<CancellationToken, Task>? hold, Func<CancellationToken, Task> step, string name, ILogger logger, CancellationToken stopping) =>
        Task.Run(async () =>
        {
            try
            {
                if (hold is not null)
                {
                    await hold(stopping).ConfigureAwait(false);
                }

                await step(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                StepFailed(logger, name, e.GetType().Name);
            }
        }, CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Start: {Step} failed ({ErrorType}); the account comes up and tries again later")]
    private static partial void StepFailed(ILogger logger, string step, string errorType);
}
