using Microsoft.Extensions.Logging;

namespace SignalSharp.JsonRpc.Session;

internal static partial class SubscriptionLog
{
    [LoggerMessage(EventId = 1521, Level = LogLevel.Warning, Message = "Receive subscription could not read the inbox ({ExceptionType}); asking again shortly")]
    public static partial void ReceiveFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 1522, Level = LogLevel.Warning, Message = "Receive subscription wrote {Count} notifications but could not confirm them ({ExceptionType}); they will be sent again")]
    public static partial void ConfirmFailed(ILogger logger, int count, string exceptionType);
}
