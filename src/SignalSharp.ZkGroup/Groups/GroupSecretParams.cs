using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup.Groups;

/// <summary>
/// Every key of a group, derived deterministically from its master key: the identifier, the blob key, and the
/// (a1, a2, A) member-id and (b1, b2, B) profile-key encryption keys. Serialized (289 bytes) as
/// 0x00 ‖ masterKey ‖ groupId ‖ blobKey ‖ a1 ‖ a2 ‖ A ‖ b1 ‖ b2 ‖ B.
/// </summary>
public sealed class GroupSecretParams
{
    public const int Length = 289;

    private const string DeriveLabel = "Signal_ZKGroup_20200424_GroupMasterKey_GroupSecretParams_DeriveFromMasterKey";
    private const string GenerateLabel = "Signal_ZKGroup_20200424_Random_GroupSecretParams_Generate";

    private readonly byte[] groupId;
    private readonly byte[] blobKey;

    private readonly Lazy<Scalar> a1Inverse;
    private readonly Lazy<Scalar> b1Inverse;

    private GroupSecretParams(GroupMasterKey masterKey, byte[] groupId, byte[] blobKey, Scalar a1, Scalar a2, RistrettoPoint a, Scalar b1, Scalar b2, RistrettoPoint b)
    {
        MasterKey = masterKey;
        this.groupId = groupId;
        this.blobKey = blobKey;
        A1 = a1;
        a1Inverse = new Lazy<Scalar>(a1.Invert);
        b1Inverse = new Lazy<Scalar>(b1.Invert);
        A2 = a2;
        UidPublicKey = a;
        B1 = b1;
        B2 = b2;
        ProfileKeyPublicKey = b;
    }

    public GroupMasterKey MasterKey { get; }

    public ReadOnlySpan<byte> GroupIdentifier => groupId;

    public GroupPublicParams PublicParams => new(groupId, UidPublicKey, ProfileKeyPublicKey);

    internal ReadOnlySpan<byte> BlobKey => blobKey;

    internal Scalar A1 { get; }

    /// <summary>a1⁻¹ (decrypting a member id, a group send token), computed once per group: it depends on a1 alone.</summary>
    internal Scalar A1Inverse => a1Inverse.Value;

    internal Scalar A2 { get; }

    internal RistrettoPoint UidPublicKey { get; }

    internal Scalar B1 { get; }

    /// <summary>b1⁻¹ (decrypting a profile key), computed once per group.</summary>
    internal Scalar B1Inverse => b1Inverse.Value;

    internal Scalar B2 { get; }

    internal RistrettoPoint ProfileKeyPublicKey { get; }

    public static GroupSecretParams DeriveFromMasterKey(GroupMasterKey masterKey)
    {
        var sho = ShoHmacSha256.Create(DeriveLabel, masterKey.Bytes);
        var groupId = sho.Squeeze(32);
        var blobKey = sho.Squeeze(32);
        var a1 = sho.GetScalar();
        var a2 = sho.GetScalar();
        var a = (a1 * GroupGenerators.Ga1) + (a2 * GroupGenerators.Ga2);
        var b1 = sho.GetScalar();
        var b2 = sho.GetScalar();
        var b = (b1 * GroupGenerators.Gb1) + (b2 * GroupGenerators.Gb2);
        return new GroupSecretParams(masterKey, groupId, blobKey, a1, a2, a, b1, b2, b);
    }

    /// <summary>A new group: the master key is squeezed from 32 caller-supplied random bytes.</summary>
    public static GroupSecretParams GenerateWithRandom(ReadOnlySpan<byte> random32)
    {
        if (random32.Length != 32)
        {
            throw new ArgumentException("randomness is 32 bytes", nameof(random32));
        }

        var sho = ShoHmacSha256.Create(GenerateLabel, random32);
        return DeriveFromMasterKey(new GroupMasterKey(sho.Squeeze(GroupMasterKey.Length)));
    }

    public static GroupSecretParams Generate() =>
        GenerateWithRandom(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static GroupSecretParams Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(GroupSecretParams));
        r.ExpectVersion(0);
        var masterKey = new GroupMasterKey(r.ReadBytes(32));
        var groupId = r.ReadBytes(32).ToArray();
        var blobKey = r.ReadBytes(32).ToArray();
        var a1 = r.ReadScalar();
        var a2 = r.ReadScalar();
        var a = r.ReadPoint();
        var b1 = r.ReadScalar();
        var b2 = r.ReadScalar();
        var b = r.ReadPoint();
        r.ExpectEnd();
        return new GroupSecretParams(masterKey, groupId, blobKey, a1, a2, a, b1, b2, b);
    }

    public byte[] Serialize() =>
    [
        0x00, .. MasterKey.Bytes, .. groupId, .. blobKey, .. A1.Bytes, .. A2.Bytes, .. UidPublicKey.Bytes,
        .. B1.Bytes, .. B2.Bytes, .. ProfileKeyPublicKey.Bytes,
    ];
}
