using System.Buffers.Binary;
using System.Security.Cryptography;
using SignalSharp.ZkGroup.Groups;
using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup.GroupSend;

/// <summary>
/// The server's endorsement of one group member (or, combined, of a set of members) for one expiration day:
/// 0x00 ‖ R. Endorsements add up, so the sealed-sender token for a set of recipients is built from their sum.
/// </summary>
public sealed class GroupSendEndorsement
{
    public const int Length = 33;

    internal GroupSendEndorsement(RistrettoPoint r) => R = r;

    internal RistrettoPoint R { get; }

    public static GroupSendEndorsement Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(GroupSendEndorsement));
        r.ExpectVersion(0);
        var point = r.ReadPoint();
        r.ExpectEnd();
        return new GroupSendEndorsement(point);
    }

    public static GroupSendEndorsement Combine(IEnumerable<GroupSendEndorsement> endorsements) =>
        new(endorsements.Aggregate(RistrettoPoint.Identity, (sum, e) => sum + e.R));

    public GroupSendEndorsement ByRemoving(GroupSendEndorsement toRemove) => new(R - toRemove.R);

    public byte[] Serialize() => [0x00, .. R.Bytes];

    /// <summary>The 16-byte token: SHA-256 of a1⁻¹·R, which the server can recompute from the plain service ids.</summary>
    public byte[] ToToken(GroupSecretParams groupParams)
    {
        var p = groupParams.A1Inverse * R;
        return SHA256.HashData(p.Bytes)[..16];
    }

    /// <summary>The Group-Send-Token header value: 0x00 ‖ u64LE(16) ‖ token ‖ u64LE(expiration seconds).</summary>
    public GroupSendFullToken ToFullToken(GroupSecretParams groupParams, ulong expirationSeconds)
    {
        var bytes = new byte[1 + 8 + 16 + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(1), 16);
        ToToken(groupParams).CopyTo(bytes, 9);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(25), expirationSeconds);
        return new GroupSendFullToken(bytes);
    }
}
