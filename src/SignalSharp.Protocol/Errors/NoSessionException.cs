namespace SignalSharp.Protocol;

/// <summary>No usable session exists for the address (none stored, or an unacknowledged one that went stale).</summary>
public sealed class NoSessionException(ProtocolAddress address, string reason)
    : ProtocolException($"session with {address.Name}.{address.DeviceId} not found: {reason}")
{
    public ProtocolAddress Address { get; } = address;
}
