using Microsoft.Extensions.Logging;

namespace SignalSharp.JsonRpc.Transport;

internal static partial class TransportLog
{
    [LoggerMessage(EventId = 1511, Level = LogLevel.Information, Message = "JSON-RPC listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Debug, Message = "JSON-RPC connection ended with {ExceptionType}")]
    public static partial void ConnectionEnded(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Warning, Message = "JSON-RPC over HTTP on {EndPoint}, which is not a loopback address: it has no authentication")]
    public static partial void HttpNotLoopback(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 1514, Level = LogLevel.Warning, Message = "HTTP request refused (421): its Host header names another host or port")]
    public static partial void HostRejected(ILogger logger);

    [LoggerMessage(EventId = 1515, Level = LogLevel.Warning, Message = "HTTP request refused (401): it did not carry the daemon's token")]
    public static partial void TokenRejected(ILogger logger);
}
