using Microsoft.Extensions.Logging;

namespace SignalSharp.Account.Receiving;

/// <summary>The receive pipeline's warnings about content it refuses (never the content itself).</summary>
internal static partial class ReceiveLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Content from {Sender}.{Device} dropped: {Reason}")]
    public static partial void ContentRefused(ILogger logger, Guid sender, uint device, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group message from {Sender}.{Device} for group {Group} dropped: {Reason}")]
    public static partial void GroupMessageRefused(ILogger logger, Guid sender, uint device, string group, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The identity key of {Sender} changed; reported to clients with the new safety number")]
    public static partial void IdentityChanged(ILogger logger, Guid sender);
}
