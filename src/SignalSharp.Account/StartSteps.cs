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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Start: {Step} failed ({ErrorType}); the account comes up and tries again later")]
    private static partial void StepFailed(ILogger logger, string step, string errorType);
}
