using Microsoft.Extensions.Logging;

namespace SignalSharp.JsonRpc.Dispatch;

internal static partial class DispatchLog
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "JSON-RPC method {Method} failed with {ExceptionType}")]
    public static partial void MethodFailed(ILogger logger, string method, string exceptionType);
}
