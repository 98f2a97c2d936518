namespace SignalSharp.Protocol.Storage;

/// <summary>Whether saving an identity replaced a different key that was stored before.</summary>
public enum IdentityChange
{
    NewOrUnchanged = 0,
    ReplacedExisting = 1,
}

/// <summary>Which way a message travels when trust is checked (stores may apply different policies).</summary>
public enum TrustDirection
{
    Sending = 0,
    Receiving = 1,
}

/// <summary>Our own identity and the identities we have seen for remote addresses.</summary>
public interface IIdentityKeyStore
{
    /// <summary>Our identity key pair.</summary>
    Task<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default);

    /// <summary>Our registration id (1..16380).</summary>
    Task<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="identityKey"/> as the identity of <paramref name="address"/>, reporting whether it replaced another.</summary>
    Task<IdentityChange> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="identityKey"/> may be used with <paramref name="address"/>; a changed key must not be trusted silently.</summary>
    Task<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, TrustDirection direction, CancellationToken cancellationToken = default);

    /// <summary>The stored identity of <paramref name="address"/>, or null.</summary>
    Task<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default);
}
