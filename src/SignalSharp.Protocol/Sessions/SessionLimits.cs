namespace SignalSharp.Protocol.Sessions;

/// <summary>libsignal 0.100's bounds on session state (session-wire.md §3); the same numbers keep behaviour aligned.</summary>
internal static class SessionLimits
{
    /// <summary>Receiver chains kept per state; the oldest is dropped first.</summary>
    public const int MaxReceiverChains = 5;

    /// <summary>Skipped message keys kept per receiver chain; the oldest is dropped first.</summary>
    public const int MaxMessageKeys = 2000;

    /// <summary>How far ahead of a chain a message counter may be (not enforced for a session with oneself).</summary>
    public const uint MaxForwardJumps = 25_000;

    /// <summary>Archived previous states per record.</summary>
    public const int ArchivedStatesMaxLength = 40;

    /// <summary>An initiated session that never got a reply stops being used for sending after this long.</summary>
    public static readonly TimeSpan MaxUnacknowledgedSessionAge = TimeSpan.FromDays(30);
}
