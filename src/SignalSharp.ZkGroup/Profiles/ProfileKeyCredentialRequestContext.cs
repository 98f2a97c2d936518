using System.Buffers.Binary;
using SignalSharp.ZkGroup.Internal;
using SignalSharp.ZkGroup.Internal.Poksho;

namespace SignalSharp.ZkGroup.Profiles;

/// <summary>
/// The client's half of a profile-key credential request: an ephemeral ElGamal key y and the profile key's points
/// (M3, M4) encrypted to it, with a proof that they match the published commitment. The request (329 bytes) goes to
/// the server; the context (473 bytes) stays to receive the answer.
/// </summary>
public sealed class ProfileKeyCredentialRequestContext
{
    private const string Label = "Signal_ZKGroup_20200424_Random_ServerPublicParams_CreateProfileKeyCredentialRequestContext";

    private static readonly PokshoStatement Statement = new PokshoStatement()
        .Add("Y", ("y", "G"))
        .Add("D1", ("r1", "G"))
        .Add("E1", ("r2", "G"))
        .Add("J3", ("j3", "G_j3"))
        .Add("D2-J1", ("r1", "Y"), ("j3", "-G_j1"))
        .Add("E2-J2", ("r2", "Y"), ("j3", "-G_j2"));

    private readonly byte[] proof;

    private ProfileKeyCredentialRequestContext(ZkServiceId aci, ProfileKey profileKey, Scalar y, RistrettoPoint bigY, Scalar r1, Scalar r2, RistrettoPoint d1, RistrettoPoint d2, RistrettoPoint e1, RistrettoPoint e2, byte[] proof)
    {
        Aci = aci;
        ProfileKey = profileKey;
        Y = y;
        PublicY = bigY;
        R1 = r1;
        R2 = r2;
        D1 = d1;
        D2 = d2;
        E1 = e1;
        E2 = e2;
        this.proof = proof;
    }

    public ZkServiceId Aci { get; }

    public ProfileKey ProfileKey { get; }

    internal Scalar Y { get; }

    internal RistrettoPoint PublicY { get; }

    internal Scalar R1 { get; }

    internal Scalar R2 { get; }

    internal RistrettoPoint D1 { get; }

    internal RistrettoPoint D2 { get; }

    internal RistrettoPoint E1 { get; }

    internal RistrettoPoint E2 { get; }

    public static ProfileKeyCredentialRequestContext Create(ZkServiceId aci, ProfileKey profileKey) =>
        CreateWithRandom(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), aci, profileKey);

    public static ProfileKeyCredentialRequestContext CreateWithRandom(ReadOnlySpan<byte> random32, ZkServiceId aci, ProfileKey profileKey)
    {
        if (random32.Length != 32)
        {
            throw new ArgumentException("randomness is 32 bytes", nameof(random32));
        }

        var sho = ShoHmacSha256.Create(Label, random32);
        var pk = new ProfileKeyStruct(profileKey.Bytes, aci.Uuid);
        var (j1, j2, j3Point) = profileKey.Commit(aci);
        var j3 = profileKey.CommitmentScalar(aci);

        var y = sho.GetScalar();
        var bigY = RistrettoPoint.MulBase(y);
        var r1 = sho.GetScalar();
        var r2 = sho.GetScalar();
        var d1 = RistrettoPoint.MulBase(r1);
        var e1 = RistrettoPoint.MulBase(r2);
        var d2 = (r1 * bigY) + pk.M3;
        var e2 = (r2 * bigY) + pk.M4;

        var scalars = new Dictionary<string, Scalar> { ["y"] = y, ["r1"] = r1, ["r2"] = r2, ["j3"] = j3 };
        var points = new Dictionary<string, RistrettoPoint>
        {
            ["Y"] = bigY,
            ["D1"] = d1,
            ["E1"] = e1,
            ["J3"] = j3Point,
            ["G_j3"] = LegacyCredentialGenerators.Gj(3),
            ["D2-J1"] = d2 - j1,
            ["-G_j1"] = -LegacyCredentialGenerators.Gj(1),
            ["E2-J2"] = e2 - j2,
            ["-G_j2"] = -LegacyCredentialGenerators.Gj(2),
        };
        var proof = Statement.Prove(scalars, points, [], sho.Squeeze(32));
        return new ProfileKeyCredentialRequestContext(aci, profileKey, y, bigY, r1, r2, d1, d2, e1, e2, proof);
    }

    /// <summary>What the server receives: 0x00 ‖ Y ‖ D1 ‖ D2 ‖ E1 ‖ E2 ‖ u64LE(160) ‖ proof.</summary>
    public byte[] GetRequest() => [0x00, .. PublicY.Bytes, .. D1.Bytes, .. D2.Bytes, .. E1.Bytes, .. E2.Bytes, .. ProofWithLength()];

    public byte[] Serialize() =>
    [
        0x00, .. Aci.Uuid, .. ProfileKey.Bytes, .. Y.Bytes, .. PublicY.Bytes, .. R1.Bytes, .. R2.Bytes,
        .. D1.Bytes, .. D2.Bytes, .. E1.Bytes, .. E2.Bytes, .. ProofWithLength(),
    ];

    private byte[] ProofWithLength()
    {
        var b = new byte[8 + proof.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)proof.Length);
        proof.CopyTo(b, 8);
        return b;
    }
}
