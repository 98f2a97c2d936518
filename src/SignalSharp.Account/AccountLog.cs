using Microsoft.Extensions.Logging;

namespace SignalSharp.Account;

/// <summary>
/// Every log message of the account layer, source-generated. The daemon's privacy rule holds: no phone numbers, no
/// message text, no keys; a failure is logged by its exception type, never its message (which may carry a number).
/// Service ids, device ids, counts and timestamps are fine. Event ids 1000 and up (the daemon's are below).
/// </summary>
internal static partial class AccountLog
{
    // Pre-keys, linking, registration, sync: 1000–1099.
    [LoggerMessage(1001, LogLevel.Information, "Uploaded {Count} one-time pre-keys for the {Identity} identity")]
    public static partial void PreKeysUploaded(ILogger logger, int count, Store.Protocol.AccountIdentity identity);

    [LoggerMessage(1002, LogLevel.Warning, "Pre-key maintenance failed ({ErrorType})")]
    public static partial void PreKeyRefillFailed(ILogger logger, string errorType);

    [LoggerMessage(1003, LogLevel.Information, "Linked as device {DeviceId}")]
    public static partial void Linked(ILogger logger, uint deviceId);

    [LoggerMessage(1004, LogLevel.Information, "Verification code requested by {Transport}")]
    public static partial void VerificationCodeRequested(ILogger logger, string transport);

    [LoggerMessage(1005, LogLevel.Information, "Registered as a primary device")]
    public static partial void Registered(ILogger logger);

    [LoggerMessage(1006, LogLevel.Warning, "Uploading one-time pre-keys after registration failed ({ErrorType})")]
    public static partial void PreKeysAfterRegistrationFailed(ILogger logger, string errorType);

    [LoggerMessage(1007, LogLevel.Information, "Contact sync: {Count} contacts")]
    public static partial void ContactSyncApplied(ILogger logger, int count);

    [LoggerMessage(1008, LogLevel.Warning, "Contact sync failed ({ErrorType})")]
    public static partial void ContactSyncFailed(ILogger logger, string errorType);

    [LoggerMessage(1009, LogLevel.Warning, "Resend request to {Sender}.{Device} failed ({ErrorType})")]
    public static partial void ResendRequestFailed(ILogger logger, Guid sender, uint device, string errorType);

    [LoggerMessage(1010, LogLevel.Information, "Rotated the {Identity} identity's pre-keys (signed: {Signed}, last-resort Kyber: {LastResort})")]
    public static partial void PreKeysRotated(ILogger logger, Store.Protocol.AccountIdentity identity, bool signed, bool lastResort);

    [LoggerMessage(1011, LogLevel.Information, "Removed {Count} pre-keys of the {Identity} identity that nobody can use any more")]
    public static partial void PreKeysRemoved(ILogger logger, int count, Store.Protocol.AccountIdentity identity);

    [LoggerMessage(1012, LogLevel.Information, "Contact sync: {Count} avatars stored, {Refused} refused as over the size limit")]
    public static partial void ContactSyncAvatars(ILogger logger, int count, int refused);

    [LoggerMessage(1013, LogLevel.Information, "Contact sync: our own device gave the account a new profile key; using it from now on")]
    public static partial void OwnProfileKeyLearned(ILogger logger);

    // Groups and the storage service: 1100–1199.
    [LoggerMessage(1100, LogLevel.Warning, "Refreshing group {Group} failed, keeping revision {Revision} ({ErrorType})")]
    public static partial void GroupRefreshFailed(ILogger logger, string group, uint revision, string errorType);

    [LoggerMessage(1101, LogLevel.Information, "Group {Group} at revision {Revision}: {Members} members, {Pending} invited")]
    public static partial void GroupFetched(ILogger logger, string group, uint revision, int members, int pending);

    [LoggerMessage(1102, LogLevel.Information, "The group server refuses group {Group} to this account ({ErrorType})")]
    public static partial void GroupRefused(ILogger logger, string group, string errorType);

    [LoggerMessage(1103, LogLevel.Information, "The group server knows no group {Group}")]
    public static partial void GroupUnknownOnServer(ILogger logger, string group);

    [LoggerMessage(1104, LogLevel.Warning, "No longer a member of group {Group} (the group server refuses it); stored as such")]
    public static partial void NoLongerGroupMember(ILogger logger, string group);

    [LoggerMessage(1105, LogLevel.Warning, "Learning groups failed ({ErrorType})")]
    public static partial void GroupLearningFailed(ILogger logger, string errorType);

    [LoggerMessage(1106, LogLevel.Debug, "Storage manifest unchanged")]
    public static partial void StorageManifestUnchanged(ILogger logger);

    [LoggerMessage(1107, LogLevel.Warning, "A group from storage could not be fetched ({ErrorType})")]
    public static partial void StorageGroupFetchFailed(ILogger logger, string errorType);

    [LoggerMessage(1108, LogLevel.Information, "Storage manifest {Version}: {Groups} groups, {Contacts} contacts")]
    public static partial void StorageManifestApplied(ILogger logger, ulong version, int groups, int contacts);

    // Sending: 1200–1299.
    [LoggerMessage(1200, LogLevel.Debug, "409 for {Recipient}: missing {Missing}, extra {Extra}")]
    public static partial void MismatchedDevices(ILogger logger, string recipient, int missing, int extra);

    [LoggerMessage(1201, LogLevel.Debug, "410 for {Recipient}: {Count} stale devices")]
    public static partial void StaleDevices(ILogger logger, string recipient, int count);

    [LoggerMessage(1202, LogLevel.Information, "{Recipient}.{Device} has a new session; our group sender keys will be distributed to it again")]
    public static partial void NewSessionForgetsSenderKeys(ILogger logger, string recipient, uint device);

    [LoggerMessage(1203, LogLevel.Information, "Group membership shrank; sender key rotated")]
    public static partial void SenderKeyRotated(ILogger logger);

    [LoggerMessage(1204, LogLevel.Warning, "Group member {Member} has an untrusted identity key; skipped")]
    public static partial void GroupMemberUntrusted(ILogger logger, Guid member);

    [LoggerMessage(1205, LogLevel.Information, "Multi-recipient send not available ({ErrorType}); sending 1:1")]
    public static partial void MultiRecipientUnavailable(ILogger logger, string errorType);

    [LoggerMessage(1206, LogLevel.Information, "Multi-recipient send refused ({Reason}); sending 1:1")]
    public static partial void MultiRecipientRefused(ILogger logger, string reason);

    [LoggerMessage(1207, LogLevel.Warning, "Group member {Member} skipped ({ErrorType})")]
    public static partial void GroupMemberSkipped(ILogger logger, Guid member, string errorType);

    [LoggerMessage(1208, LogLevel.Debug, "Group send mismatch for {Recipient}: missing {Missing}, extra {Extra}, stale {Stale}")]
    public static partial void GroupSendMismatch(ILogger logger, string recipient, int missing, int extra, int stale);

    [LoggerMessage(1209, LogLevel.Information, "Sealed send refused (access key); sending authenticated")]
    public static partial void SealedSendRefused(ILogger logger);

    [LoggerMessage(1210, LogLevel.Warning, "Group send endorsements of a group did not verify ({ErrorType})")]
    public static partial void EndorsementsInvalid(ILogger logger, string errorType);

    [LoggerMessage(1211, LogLevel.Information, "Group send: {SenderKeySends} by sender key ({Multi}), {Fallback} 1:1, {Distributed} new distributions, {Unreachable} unreachable; client {Client:F1} ms of {Total:F1} ms")]
    public static partial void GroupSent(ILogger logger, int senderKeySends, string multi, int fallback, int distributed, int unreachable, double client, double total);

    [LoggerMessage(1212, LogLevel.Information, "{Recipient}.{Device} could not decrypt our message {Timestamp}: {Answer}")]
    public static partial void ResendAnswered(ILogger logger, Guid recipient, uint device, ulong timestamp, string answer);

    [LoggerMessage(1213, LogLevel.Warning, "Answering the resend request of {Recipient}.{Device} failed ({ErrorType})")]
    public static partial void ResendFailed(ILogger logger, Guid recipient, uint device, string errorType);

    [LoggerMessage(1214, LogLevel.Warning, "Sending a {Kind} receipt to {Recipient} failed ({ErrorType})")]
    public static partial void ReceiptFailed(ILogger logger, Guid recipient, string kind, string errorType);

    // Receiving: 1300–1399.
    [LoggerMessage(1300, LogLevel.Error, "Attachment worker failed ({ErrorType}); retrying")]
    public static partial void AttachmentWorkerFailed(ILogger logger, string errorType);

    [LoggerMessage(1301, LogLevel.Warning, "Message {Timestamp}: {Count} attachment(s) could not be downloaded")]
    public static partial void AttachmentsFailed(ILogger logger, ulong timestamp, int count);

    [LoggerMessage(1302, LogLevel.Error, "Completing held message {Id} failed ({ErrorType}); trying again later")]
    public static partial void HeldMessageFailed(ILogger logger, long id, string errorType);

    [LoggerMessage(1303, LogLevel.Information, "Attachment download attempt {Attempt} failed ({ErrorType})")]
    public static partial void AttachmentAttemptFailed(ILogger logger, int attempt, string errorType);

    [LoggerMessage(1304, LogLevel.Debug, "Unreadable resend request from {Sender}.{Device} ({ErrorType})")]
    public static partial void ResendRequestUnreadable(ILogger logger, Guid sender, uint device, string errorType);

    [LoggerMessage(1305, LogLevel.Information, "{Sender}.{Device} lacks our sender key ({Count} shares forgotten); the next group send redistributes it")]
    public static partial void SenderKeySharesForgotten(ILogger logger, Guid sender, uint device, int count);

    [LoggerMessage(1306, LogLevel.Debug, "Sender key {Distribution} of {Sender}.{Device} stored")]
    public static partial void SenderKeyStored(ILogger logger, Guid distribution, Guid sender, uint device);

    [LoggerMessage(1307, LogLevel.Warning, "Sender key distribution from {Sender}.{Device} dropped ({ErrorType})")]
    public static partial void SenderKeyDropped(ILogger logger, Guid sender, uint device, string errorType);

    [LoggerMessage(1308, LogLevel.Warning, "Envelope from {Sender} could not be decrypted ({ErrorType})")]
    public static partial void EnvelopeUndecryptable(ILogger logger, string sender, string errorType);

    [LoggerMessage(1309, LogLevel.Debug, "Receipt type {Type} from {Sender} for {Count} messages")]
    public static partial void ReceiptReceived(ILogger logger, string type, Guid sender, int count);

    [LoggerMessage(1310, LogLevel.Debug, "Typing action {Action} from {Sender}")]
    public static partial void TypingReceived(ILogger logger, string action, Guid sender);

    [LoggerMessage(1311, LogLevel.Debug, "Sync message from own device {Device}")]
    public static partial void SyncMessageReceived(ILogger logger, uint device);

    [LoggerMessage(1312, LogLevel.Debug, "Server queue drained")]
    public static partial void QueueDrained(ILogger logger);

    [LoggerMessage(1313, LogLevel.Debug, "Stored a batch of {Count} envelopes")]
    public static partial void BatchStored(ILogger logger, int count);

    [LoggerMessage(1314, LogLevel.Warning, "Storing a batch of {Count} envelopes failed ({ErrorType}); storing them one by one")]
    public static partial void BatchFailed(ILogger logger, int count, string errorType);

    [LoggerMessage(1315, LogLevel.Debug, "Envelope handled: {Outcome}")]
    public static partial void EnvelopeHandled(ILogger logger, string outcome);

    [LoggerMessage(1316, LogLevel.Error, "Storing an envelope failed ({ErrorType}); the server keeps it")]
    public static partial void EnvelopeNotStored(ILogger logger, string errorType);

    [LoggerMessage(1317, LogLevel.Error, "Account stopped ({Reason}): the server no longer serves this device; link it again")]
    public static partial void AccountStopped(ILogger logger, string reason);

    [LoggerMessage(1318, LogLevel.Information, "The link code expired before the phone scanned it ({ErrorType}); opening a new provisioning socket")]
    public static partial void ProvisioningReopened(ILogger logger, string errorType);

    // Content the receive pipeline refuses: why, never the content itself.
    [LoggerMessage(1320, LogLevel.Warning, "Content from {Sender}.{Device} dropped: {Reason}")]
    public static partial void ContentRefused(ILogger logger, Guid sender, uint device, string reason);

    [LoggerMessage(1321, LogLevel.Warning, "Group message from {Sender}.{Device} for group {Group} dropped: {Reason}")]
    public static partial void GroupMessageRefused(ILogger logger, Guid sender, uint device, string group, string reason);

    [LoggerMessage(1322, LogLevel.Warning, "The identity key of {Sender} changed; reported to clients with the new safety number")]
    public static partial void IdentityChanged(ILogger logger, Guid sender);

    [LoggerMessage(1323, LogLevel.Debug, "A story from {Sender}.{Device} dropped: this account does not receive stories (--receive-stories)")]
    public static partial void StoryDropped(ILogger logger, Guid sender, uint device);
}
