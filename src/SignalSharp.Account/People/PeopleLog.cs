using Microsoft.Extensions.Logging;

namespace SignalSharp.Account.People;

/// <summary>Log messages of contacts, blocking and devices (event ids 1460–1479); service ids and counts only.</summary>
internal static partial class PeopleLog
{
    [LoggerMessage(1460, LogLevel.Information, "Blocked list from our primary applied: {People} people, {Groups} groups")]
    public static partial void BlockedListSynced(ILogger logger, int people, int groups);

    [LoggerMessage(1461, LogLevel.Debug, "Content from blocked {Sender}.{Device} dropped")]
    public static partial void BlockedSenderDropped(ILogger logger, Guid sender, uint device);

    [LoggerMessage(1462, LogLevel.Debug, "Message in blocked group {Group} dropped")]
    public static partial void BlockedGroupDropped(ILogger logger, string group);

    [LoggerMessage(1463, LogLevel.Warning, "Sending the blocked list to our other devices failed ({ErrorType}); the block holds here")]
    public static partial void BlockedListSyncFailed(ILogger logger, string errorType);
}
