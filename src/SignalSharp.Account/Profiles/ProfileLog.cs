using Microsoft.Extensions.Logging;

namespace SignalSharp.Account.Profiles;

/// <summary>Log messages of the profile work (event ids 1450–1479); service ids only, never names or keys.</summary>
internal static partial class ProfileLog
{
    [LoggerMessage(1450, LogLevel.Debug, "Fetched the profile of {Aci}")]
    public static partial void Fetched(ILogger logger, Guid aci);

    [LoggerMessage(1451, LogLevel.Warning, "Fetching the profile of {Aci} failed ({ErrorType})")]
    public static partial void FetchFailed(ILogger logger, Guid aci, string errorType);

    [LoggerMessage(1452, LogLevel.Warning, "The profile of {Aci} does not decrypt with the profile key we hold; kept the old one")]
    public static partial void Undecryptable(ILogger logger, Guid aci);

    [LoggerMessage(1453, LogLevel.Information, "Wrote the account's profile (version for the current profile key)")]
    public static partial void Written(ILogger logger);

    [LoggerMessage(1454, LogLevel.Debug, "Stored the profile avatar of {Aci}")]
    public static partial void AvatarStored(ILogger logger, Guid aci);

    [LoggerMessage(1455, LogLevel.Warning, "The profile avatar of {Aci} was not stored ({Reason})")]
    public static partial void AvatarFailed(ILogger logger, Guid aci, string reason);

    [LoggerMessage(1456, LogLevel.Information, "Rotated the account's profile key; the profile is written under the new one")]
    public static partial void KeyRotated(ILogger logger);

    [LoggerMessage(1457, LogLevel.Information, "Group {Group}: our new profile key is recorded at revision {Revision}")]
    public static partial void GroupKeyChanged(ILogger logger, string group, uint revision);

    [LoggerMessage(1458, LogLevel.Warning, "Group {Group}: our new profile key could not be recorded ({ErrorType})")]
    public static partial void GroupKeyChangeFailed(ILogger logger, string group, string errorType);

    [LoggerMessage(1459, LogLevel.Warning, "Telling the linked devices our new profile key failed ({ErrorType})")]
    public static partial void LinkedDevicesNotTold(ILogger logger, string errorType);

    [LoggerMessage(1464, LogLevel.Information, "Wrote the account's attributes (the unidentified-access key of the current profile key)")]
    public static partial void AttributesWritten(ILogger logger);

    [LoggerMessage(1465, LogLevel.Warning, "Writing the account's attributes failed ({ErrorType}); sealed sends from contacts holding the new profile key are refused until a later write")]
    public static partial void AttributesFailed(ILogger logger, string errorType);

    [LoggerMessage(1466, LogLevel.Warning, "A linked device does not write the account's attributes: the server checks sealed sends to us against the old profile key's access key until the primary device writes them")]
    public static partial void AttributesLeftToPrimary(ILogger logger);

    [LoggerMessage(1467, LogLevel.Information, "Took the account's profile key from the storage service's account record")]
    public static partial void OwnProfileKeyFromStorage(ILogger logger);
}
