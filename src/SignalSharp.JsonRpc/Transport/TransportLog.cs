using Microsoft.Extensions.Logging;

namespace SignalSharp.JsonRpc.Transport;

internal static partial class TransportLog
{
    [LoggerMessage(EventId = 1511, Level = LogLevel.Information, Message = "JSON-RPC listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Debug, Message = "JSON-RPC connection ended with {ExceptionType}")]
    public static partial void ConnectionEnded(ILogger logger, string exceptionType);
}
