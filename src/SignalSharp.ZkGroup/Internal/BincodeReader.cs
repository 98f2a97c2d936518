using System.Buffers.Binary;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>Reads zkgroup's bincode layouts: fixed-width little-endian integers, canonical scalars, valid points, no trailing bytes.</summary>
internal ref struct BincodeReader(ReadOnlySpan<byte> data, string typeName)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int offset;

    public readonly string TypeName => typeName;

    public byte ReadByte() => Take(1)[0];

    public void ExpectVersion(byte version)
    {
        var b = ReadByte();
        if (b != version)
        {
            throw Fail($"version byte {b}, expected {version}");
        }
    }

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    public ulong ReadU64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public Scalar ReadScalar() =>
        Scalar.TryFromCanonical(Take(Scalar.Length), out var s) ? s : throw Fail($"non-canonical scalar at offset {offset - 32}");

    public RistrettoPoint ReadPoint() =>
        RistrettoPoint.TryDecode(Take(RistrettoPoint.Length), out var p) ? p : throw Fail($"invalid point at offset {offset - 32}");

    public readonly void ExpectEnd()
    {
        if (offset != data.Length)
        {
            throw Fail($"{data.Length - offset} trailing bytes");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (data.Length - offset < count)
        {
            throw Fail($"truncated at offset {offset}");
        }

        var slice = data.Slice(offset, count);
        offset += count;
        return slice;
    }

    private readonly ZkGroupDeserializationException Fail(string reason) => new(typeName, reason);
}
