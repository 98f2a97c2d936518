using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup.Groups;

/// <summary>
/// What the group server knows of a group: its identifier and the public halves of the member-id and profile-key
/// encryption keys. Serialized (97 bytes) as 0x00 ‖ groupId ‖ A ‖ B; its hex is the group-server Basic auth username.
/// </summary>
public sealed class GroupPublicParams
{
    public const int Length = 97;

    private readonly byte[] groupId;

    internal GroupPublicParams(ReadOnlySpan<byte> groupId, RistrettoPoint uidKey, RistrettoPoint profileKeyKey)
    {
        this.groupId = groupId.ToArray();
        UidPublicKey = uidKey;
        ProfileKeyPublicKey = profileKeyKey;
    }

    /// <summary>The raw 32-byte group identifier (the groupId clients exchange).</summary>
    public ReadOnlySpan<byte> GroupIdentifier => groupId;

    internal RistrettoPoint UidPublicKey { get; }

    internal RistrettoPoint ProfileKeyPublicKey { get; }

    public static GroupPublicParams Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(GroupPublicParams));
        r.ExpectVersion(0);
        var id = r.ReadBytes(32);
        var a = r.ReadPoint();
        var b = r.ReadPoint();
        r.ExpectEnd();
        return new GroupPublicParams(id, a, b);
    }

    public byte[] Serialize() => [0x00, .. groupId, .. UidPublicKey.Bytes, .. ProfileKeyPublicKey.Bytes];
}
