using Microsoft.Extensions.Logging;

namespace SignalSharp.Daemon.Commands;

/// <summary>Log messages of command handling. None of them carries message text, attachment data or phone numbers.</summary>
// Event ids are unique across ServerLog and CommandLog, so a log filter by id keeps working.
internal static partial class CommandLog
{
    [LoggerMessage(7, LogLevel.Debug, "Command refused with status {Status}")]
    public static partial void CommandRefused(ILogger logger, int status);

    [LoggerMessage(8, LogLevel.Warning, "Command {Command} failed with status {Status} ({ExceptionType})")]
    public static partial void CommandFailed(ILogger logger, string command, int status, string exceptionType);

    [LoggerMessage(13, LogLevel.Debug, "Command {Command} refused by the account with status {Status}")]
    public static partial void CommandRefusedByAccount(ILogger logger, string command, int status);

    [LoggerMessage(14, LogLevel.Error, "Confirming {Count} received items that reached their client failed; they are handed out again after a restart")]
    public static partial void ConfirmFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(15, LogLevel.Warning, "A receive abandoned by its client failed ({ExceptionType})")]
    public static partial void AbandonedReceiveFailed(ILogger logger, string exceptionType);

    [LoggerMessage(16, LogLevel.Debug, "{Count} received items were written to a client that ended its input and did not take them; they go back")]
    public static partial void AnswerNotTaken(ILogger logger, int count);
}
