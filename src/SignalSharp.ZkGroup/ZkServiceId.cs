namespace SignalSharp.ZkGroup;

/// <summary>Which namespace a service id's UUID lives in.</summary>
public enum ZkServiceIdKind
{
    Aci = 0,
    Pni = 1,
}

/// <summary>
/// A Signal service id as zkgroup sees it: a raw 16-byte UUID and its kind. The "service id binary" form is the bare
/// UUID for an ACI and 0x01 ‖ UUID for a PNI.
/// </summary>
public sealed class ZkServiceId : IEquatable<ZkServiceId>
{
    private readonly byte[] uuid;

    public ZkServiceId(ZkServiceIdKind kind, ReadOnlySpan<byte> uuid16)
    {
        if (uuid16.Length != 16)
        {
            throw new ArgumentException("a UUID is 16 bytes", nameof(uuid16));
        }

        Kind = kind;
        uuid = uuid16.ToArray();
    }

    public ZkServiceIdKind Kind { get; }

    public ReadOnlySpan<byte> Uuid => uuid;

    public static ZkServiceId Aci(ReadOnlySpan<byte> uuid16) => new(ZkServiceIdKind.Aci, uuid16);

    public static ZkServiceId Pni(ReadOnlySpan<byte> uuid16) => new(ZkServiceIdKind.Pni, uuid16);

    /// <summary>Parses the 16-byte (ACI) or 17-byte (0x01-prefixed PNI) service id binary.</summary>
    public static ZkServiceId FromBinary(ReadOnlySpan<byte> binary) => binary.Length switch
    {
        16 => Aci(binary),
        17 when binary[0] == 0x01 => Pni(binary[1..]),
        _ => throw new ZkGroupDeserializationException(nameof(ZkServiceId), "not a 16-byte ACI or 0x01-prefixed 17-byte PNI"),
    };

    public byte[] ToBinary() => Kind == ZkServiceIdKind.Aci ? [.. uuid] : [0x01, .. uuid];

    public bool Equals(ZkServiceId? other) => other is not null && other.Kind == Kind && other.uuid.AsSpan().SequenceEqual(uuid);

    public override bool Equals(object? obj) => Equals(obj as ZkServiceId);

    public override int GetHashCode() => HashCode.Combine(Kind, BitConverter.ToInt64(uuid, 0), BitConverter.ToInt64(uuid, 8));

    public override string ToString() => $"{(Kind == ZkServiceIdKind.Pni ? "PNI:" : string.Empty)}{new Guid(uuid, bigEndian: true)}";
}
