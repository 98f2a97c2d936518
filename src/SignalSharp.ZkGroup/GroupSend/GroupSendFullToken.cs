using System.Buffers.Binary;
using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup.GroupSend;

/// <summary>
/// An endorsement token with its expiration (0x00 ‖ u64LE(16) ‖ token ‖ u64LE(expiration seconds)), sent base64
/// in the Group-Send-Token header of a sealed-sender multi-recipient send.
/// </summary>
public sealed class GroupSendFullToken
{
    public const int Length = 33;

    private readonly byte[] serialized;

    internal GroupSendFullToken(byte[] serialized) => this.serialized = serialized;

    public ulong ExpirationSeconds => BinaryPrimitives.ReadUInt64LittleEndian(serialized.AsSpan(25));

    public static GroupSendFullToken Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(GroupSendFullToken));
        r.ExpectVersion(0);
        if (r.ReadU64() != 16)
        {
            throw new ZkGroupDeserializationException(nameof(GroupSendFullToken), "token length is not 16");
        }

        r.ReadBytes(16);
        r.ReadU64();
        r.ExpectEnd();
        return new GroupSendFullToken(data.ToArray());
    }

    public byte[] Serialize() => [.. serialized];
}
