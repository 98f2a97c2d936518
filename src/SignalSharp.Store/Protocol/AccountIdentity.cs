namespace SignalSharp.Store.Protocol;

/// <summary>Which of the account's two identities a protocol store serves: its ACI (the account) or its PNI
/// (the phone number). Each has its own identity key, prekeys and sessions.</summary>
public enum AccountIdentity
{
    Aci = 0,
    Pni = 1,
}

/// <summary>How far the user trusts a remote identity key (signal-cli's levels).</summary>
public enum TrustLevel
{
    /// <summary>The key replaced an earlier one and has not been confirmed: sending to it is refused.</summary>
    Untrusted = 0,
    /// <summary>Trusted on first use.</summary>
    TrustedUnverified = 1,
    /// <summary>The user compared safety numbers.</summary>
    TrustedVerified = 2,
}
