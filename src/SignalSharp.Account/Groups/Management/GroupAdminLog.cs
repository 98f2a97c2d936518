using Microsoft.Extensions.Logging;

namespace SignalSharp.Account.Groups.Management;

/// <summary>Group management's log lines (event ids 1700-1749). Never a title, description or key.</summary>
internal static partial class GroupAdminLog
{
    [LoggerMessage(1700, LogLevel.Information, "Created group {Group} with {Members} members and {Invited} invited")]
    public static partial void Created(ILogger logger, string group, int members, int invited);

    [LoggerMessage(1701, LogLevel.Information, "No profile key credential for {Aci} ({Reason}); inviting instead of adding")]
    public static partial void NoCredential(ILogger logger, Guid aci, string reason);

    [LoggerMessage(1702, LogLevel.Information, "Changed group {Group} to revision {Revision}")]
    public static partial void Changed(ILogger logger, string group, uint revision);

    [LoggerMessage(1703, LogLevel.Information, "Group {Group} moved on while changing it; retrying on revision {Revision}")]
    public static partial void Conflict(ILogger logger, string group, uint revision);

    [LoggerMessage(1704, LogLevel.Information, "Joined group {Group} by its invite link at revision {Revision} (only requested: {Requested})")]
    public static partial void Joined(ILogger logger, string group, uint revision, bool requested);
}
