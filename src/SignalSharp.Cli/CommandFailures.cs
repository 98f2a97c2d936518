using SignalSharp.Account.Api;
using SignalSharp.Service;

namespace SignalSharp.Cli;

/// <summary>The command line is wrong in a way only found while running (a `--server` file that does not load).</summary>
internal sealed class UsageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The daemon could not listen on its address.</summary>
internal sealed class CannotListenException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The one place where a command's exception becomes an exit code and a line on stderr. A command names what it
/// was doing with the server, which prefixes a <see cref="ServiceException"/>'s message.
/// </summary>
internal static class CommandFailures
{
    public static async Task<int> RunAsync(TextWriter stderr, string serviceActivity, Func<Task<int>> command)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(command);
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (Exception e) when (ExitCodeFor(e) is { } code)
        {
            var message = e is ServiceException ? $"{serviceActivity}: {e.Message}" : e.Message;
            await stderr.WriteLineAsync("signal-sharp: " + message).ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>The exit code for what went wrong; null for an exception no command expects (a bug), which propagates.</summary>
    internal static int? ExitCodeFor(Exception exception) => exception switch
    {
        UsageException => ExitCodes.Usage,
        CannotListenException => ExitCodes.CannotListen,
        AccountStoppedException => ExitCodes.AccountStopped,
        AccountException or ServiceException => ExitCodes.AccountProblem,
        _ => null,
    };
}
