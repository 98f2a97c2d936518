namespace SignalSharp.Protocol;

/// <summary>
/// The identity store does not trust this key for this address (typically: the contact's identity key changed
/// and the user has not accepted the new one). Nothing was stored.
/// </summary>
public sealed class UntrustedIdentityException(ProtocolAddress address, IdentityKey identityKey)
    : ProtocolException($"untrusted identity for address {address.Name}.{address.DeviceId}")
{
    public ProtocolAddress Address { get; } = address;

    public IdentityKey IdentityKey { get; } = identityKey;
}
