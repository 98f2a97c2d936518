using System.Security.Cryptography;
using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup.Profiles;

/// <summary>A user's 32-byte profile key and what is derived from it for one ACI: commitment, version, access key.</summary>
public sealed class ProfileKey
{
    public const int Length = 32;

    private const string VersionLabel = "Signal_ZKGroup_20200424_ProfileKeyAndUid_ProfileKey_GetProfileKeyVersion";
    private const string J3Label = "Signal_ZKGroup_20200424_ProfileKeyAndUid_ProfileKeyCommitment_Calcj3";

    private readonly byte[] bytes;

    public ProfileKey(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ZkGroupDeserializationException(nameof(ProfileKey), $"{bytes.Length} bytes, expected {Length}");
        }

        this.bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => bytes;

    public byte[] Serialize() => [.. bytes];

    /// <summary>The commitment the profile stores (0x00 ‖ J1 ‖ J2 ‖ J3), binding the key to the ACI.</summary>
    public byte[] GetCommitment(ZkServiceId aci)
    {
        var (j1, j2, j3) = Commit(aci);
        return [0x00, .. j1.Bytes, .. j2.Bytes, .. j3.Bytes];
    }

    /// <summary>The 64 lowercase hex characters that name this key's profile version.</summary>
    public string GetProfileKeyVersion(ZkServiceId aci) =>
        Convert.ToHexStringLower(ShoHmacSha256.Create(VersionLabel, [.. bytes, .. AciUuid(aci)]).Squeeze(32));

    /// <summary>The unidentified-access key: AES-256-GCM of 16 zero bytes under the profile key with a zero nonce.</summary>
    public byte[] DeriveAccessKey()
    {
        using var aes = new AesGcm(bytes, 16);
        var output = new byte[16];
        aes.Encrypt(new byte[12], new byte[16], output, new byte[16]);
        return output;
    }

    internal (RistrettoPoint J1, RistrettoPoint J2, RistrettoPoint J3) Commit(ZkServiceId aci)
    {
        var j3 = CommitmentScalar(aci);
        var pk = new ProfileKeyStruct(bytes, AciUuid(aci));
        return ((j3 * LegacyCredentialGenerators.Gj(1)) + pk.M3, (j3 * LegacyCredentialGenerators.Gj(2)) + pk.M4, j3 * LegacyCredentialGenerators.Gj(3));
    }

    internal Scalar CommitmentScalar(ZkServiceId aci) => ShoHmacSha256.Create(J3Label, [.. bytes, .. AciUuid(aci)]).GetScalar();

    private static ReadOnlySpan<byte> AciUuid(ZkServiceId aci) =>
        aci.Kind == ZkServiceIdKind.Aci ? aci.Uuid : throw new ArgumentException("profile keys belong to ACIs", nameof(aci));
}
