namespace SignalSharp.Protocol;

/// <summary>A remote party's device: its service id string (an ACI UUID, or <c>PNI:…</c>) and device id.</summary>
public readonly record struct ProtocolAddress(string Name, uint DeviceId)
{
    /// <summary>libsignal's display form, <c>name.deviceId</c>.</summary>
    public override string ToString() => $"{Name}.{DeviceId}";
}
