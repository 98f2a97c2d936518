namespace SignalSharp.Account.Api;

/// <summary>How far the user trusts a contact's identity key (signal-cli's levels).</summary>
public enum IdentityTrust
{
    /// <summary>Changed since it was trusted (or never trusted, with <c>--trust-new-identities never</c>): nothing is sent to it.</summary>
    Untrusted,

    /// <summary>Trusted on first use, or trusted with <c>trust --trust-all-known-keys</c>.</summary>
    TrustedUnverified,

    /// <summary>Trusted after the user compared the safety number.</summary>
    TrustedVerified,
}

/// <summary>Which contact identity keys are trusted without the user's word (signal-cli's <c>--trust-new-identities</c>).</summary>
public enum NewIdentityTrust
{
    /// <summary>A contact's first key is trusted; a changed one is not until the user runs <c>trust</c>.</summary>
    OnFirstUse,

    /// <summary>Every key is trusted, also a changed one (the change is still reported).</summary>
    Always,

    /// <summary>No key is trusted until the user runs <c>trust</c>.</summary>
    Never,
}

/// <summary>Which keys a trust command accepts for a contact: whatever is stored, or only the key behind a safety number the user compared.</summary>
public abstract record TrustRequest;

/// <summary>signal-cli's <c>--trust-all-known-keys</c>.</summary>
public sealed record TrustAllKnownKeys : TrustRequest;

/// <summary>signal-cli's <c>--verified-safety-number</c>: the 60 digits (spaces allowed).</summary>
public sealed record TrustVerifiedSafetyNumber(string SafetyNumber) : TrustRequest;

/// <summary>A contact's identity key as the account knows it: the safety number with it, and its trust.</summary>
public sealed record IdentityEntry(string? Number, ServiceId ServiceId, string SafetyNumber, IdentityTrust Trust, DateTimeOffset AddedAt)
{
    /// <summary>The contact's identity public key (serialised, with its type byte), when the listing carries it.</summary>
    public byte[]? IdentityKey { get; init; }

    /// <summary>The safety number as a QR code carries it (libsignal's scannable fingerprint), when the listing carries it.</summary>
    public byte[]? ScannableSafetyNumber { get; init; }
}

/// <summary>
/// A contact's safety number changed and was not confirmed: nothing is sent to them until the user runs
/// <c>trust</c> (or the account runs with <c>--trust-new-identities always</c>).
/// </summary>
public sealed class UntrustedIdentityKeyException(string recipient)
    : AccountException($"the safety number with {recipient} changed and is not trusted; check it and run trust for {recipient} before sending")
{
    public string Recipient { get; } = recipient;
}

/// <summary>The safety number given to <c>trust</c> is not the one of the contact's current key.</summary>
public sealed class SafetyNumberMismatchException(string recipient)
    : AccountException($"the safety number given does not match the current identity key of {recipient}; nothing was trusted")
{
    public string Recipient { get; } = recipient;
}

/// <summary>The account has never seen an identity key for the contact, so there is nothing to trust.</summary>
public sealed class NoKnownIdentityException(string recipient)
    : AccountException($"no identity key of {recipient} is known yet")
{
    public string Recipient { get; } = recipient;
}

/// <summary>
/// A received item saying that a contact's identity key changed (a reinstall, a new phone, or someone else):
/// <see cref="SafetyNumber"/> is the new safety number to compare before trusting it.
/// </summary>
public sealed record ReceivedIdentityChange(long Timestamp, string Sender, ServiceId? SenderServiceId, string SafetyNumber) : ReceivedItem;

/// <summary>How a send went for one recipient (a group member): reached, or why not.</summary>
public sealed record RecipientSendResult(string Recipient, ServiceId? ServiceId, bool Success, string? Failure = null, bool UntrustedIdentity = false);
