using SignalSharp.Store.Recipients;

namespace SignalSharp.Store.Contacts;

/// <summary>One entry of the contact list as the primary device shares it in a contact sync.</summary>
public sealed record ContactSyncEntry(
    Guid? Aci,
    string? E164,
    string? Name,
    byte[]? ProfileKey = null,
    string? Color = null,
    uint ExpirationTimerSeconds = 0,
    bool Blocked = false,
    bool Archived = false,
    uint? InboxPosition = null);

/// <summary>A contact: the recipient (with its identifiers and profile) plus what the contact list says.</summary>
public sealed record Contact(
    Recipient Recipient,
    string? Name,
    string? Color,
    uint ExpirationTimerSeconds,
    bool Blocked,
    bool Archived,
    uint? InboxPosition);
