namespace SignalSharp.Account.Sending;

/// <summary>How the server treats a message for the recipient's devices, as Signal's apps mark each kind.</summary>
internal enum DeliveryKind
{
    /// <summary>A message a person waits for: stored for offline devices, and it wakes them (a push).</summary>
    Urgent,

    /// <summary>Stored for offline devices but wakes nobody: receipts.</summary>
    Quiet,

    /// <summary>Only for devices connected right now, never stored: typing indicators.</summary>
    OnlineOnly,
}
