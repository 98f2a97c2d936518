namespace SignalSharp.Store.Protocol;

/// <summary>How the SQLite identity store treats keys it has not been told to trust (signal-cli's
/// <c>--trust-new-identities</c>).</summary>
public enum TrustNewIdentities
{
    /// <summary>The first key seen for someone is trusted; a later, different key is untrusted for sending until
    /// the user trusts it.</summary>
    OnFirstUse = 0,
    /// <summary>Every key is trusted when saved, also a changed one.</summary>
    Always = 1,
    /// <summary>No key is trusted for sending until the user trusts it.</summary>
    Never = 2,
}
