using SignalSharp.Account.Api;
using SignalSharp.Store.Groups;

namespace SignalSharp.Account.Groups.Management;

/// <summary>
/// Tells a group's members (and the account's other devices) about a new revision: a data message whose group
/// context carries the revision and, for a change, the change as the server signed it, so their apps apply it
/// without asking the server. <paramref name="alsoTo"/> are people no longer in the group who must still hear of it
/// (a removed member learns of the removal).
/// </summary>
internal delegate Task<(long Timestamp, IReadOnlyList<RecipientSendResult> Results)> GroupAnnouncer(
    GroupRecord group, byte[]? signedChange, IReadOnlyList<Guid> alsoTo, CancellationToken cancellationToken);
