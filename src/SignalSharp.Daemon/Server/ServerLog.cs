using System.Net;
using Microsoft.Extensions.Logging;

namespace SignalSharp.Daemon.Server;

/// <summary>Log messages of the daemon's listener and connections. None of them carries message text, attachment data or phone numbers.</summary>
// Event ids are unique across ServerLog and CommandLog, so a log filter by id keeps working.
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Listening on {EndPoint} (TCP, JSON commands)")]
    public static partial void Listening(ILogger logger, EndPoint endPoint);

    [LoggerMessage(2, LogLevel.Warning, "Listening on {EndPoint}, which is not a loopback address: the protocol has no authentication, anyone who can reach this port can send and read messages")]
    public static partial void NotLoopback(ILogger logger, EndPoint endPoint);

    [LoggerMessage(3, LogLevel.Debug, "Connection {Id} from {Remote} opened")]
    public static partial void ConnectionOpened(ILogger logger, long id, EndPoint? remote);

    [LoggerMessage(4, LogLevel.Debug, "Connection {Id} closed")]
    public static partial void ConnectionClosed(ILogger logger, long id);

    [LoggerMessage(5, LogLevel.Debug, "Connection {Id} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, long id, string reason);

    [LoggerMessage(6, LogLevel.Debug, "Connection {Id}: command over the size limit, closing")]
    public static partial void CommandTooLarge(ILogger logger, long id);

    [LoggerMessage(16, LogLevel.Debug, "Connection {Id} handed to the listener's second protocol, which its first object named")]
    public static partial void ConnectionHandedOff(ILogger logger, long id);

    [LoggerMessage(9, LogLevel.Information, "Stopping: no new connections; waiting up to {Grace} for commands in progress")]
    public static partial void Stopping(ILogger logger, TimeSpan grace);

    [LoggerMessage(10, LogLevel.Information, "Stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(11, LogLevel.Error, "Accept loop failed")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(12, LogLevel.Error, "Connection {Id} failed unexpectedly")]
    public static partial void ConnectionFailed(ILogger logger, long id, Exception exception);
}
