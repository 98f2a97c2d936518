using System.Buffers.Binary;
using SignalSharp.ZkGroup.Groups;
using SignalSharp.ZkGroup.Internal;
using SignalSharp.ZkGroup.Internal.Poksho;

namespace SignalSharp.ZkGroup.Profiles;

/// <summary>
/// A profile-key credential valid until <see cref="ExpirationSeconds"/> (153 bytes:
/// 0x00 ‖ t ‖ U ‖ V ‖ aci ‖ profile key ‖ u64LE(expiration)). Its presentation is what adds a full member to a group.
/// </summary>
public sealed class ExpiringProfileKeyCredential
{
    private const string PresentationLabel = "Signal_ZKGroup_20220508_Random_ServerPublicParams_CreateExpiringProfileKeyCredentialPresentation";
    private const byte PresentationVersion = 0x03;

    private static readonly PokshoStatement Presentation = new PokshoStatement()
        .Add("Z", ("z", "I"))
        .Add("C_x1", ("t", "C_x0"), ("z0", "G_x0"), ("z", "G_x1"))
        .Add("A+B", ("a1", "G_a1"), ("a2", "G_a2"), ("b1", "G_b1"), ("b2", "G_b2"))
        .Add("C_y2-E_A2", ("z", "G_y2"), ("a2", "-E_A1"))
        .Add("E_A1", ("a1", "C_y1"), ("z1", "G_y1"))
        .Add("C_y4-E_B2", ("z", "G_y4"), ("b2", "-E_B1"))
        .Add("E_B1", ("b1", "C_y3"), ("z2", "G_y3"))
        .Add("0", ("z1", "I"), ("a1", "Z"))
        .Add("0", ("z2", "I"), ("b1", "Z"))
        .Add("C_y5", ("z", "G_y5"));

    private readonly Scalar t;
    private readonly RistrettoPoint u;
    private readonly RistrettoPoint v;

    internal ExpiringProfileKeyCredential(Scalar t, RistrettoPoint u, RistrettoPoint v, ZkServiceId aci, ProfileKey profileKey, ulong expiration)
    {
        this.t = t;
        this.u = u;
        this.v = v;
        Aci = aci;
        ProfileKey = profileKey;
        ExpirationSeconds = expiration;
    }

    public ZkServiceId Aci { get; }

    public ProfileKey ProfileKey { get; }

    public ulong ExpirationSeconds { get; }

    /// <summary>Loads a stored credential (as <see cref="Serialize"/> or libsignal writes it).</summary>
    public static ExpiringProfileKeyCredential Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(ExpiringProfileKeyCredential));
        r.ExpectVersion(0);
        var t = r.ReadScalar();
        var u = r.ReadPoint();
        var v = r.ReadPoint();
        var aci = ZkServiceId.Aci(r.ReadBytes(16));
        var profileKey = new ProfileKey(r.ReadBytes(ProfileKey.Length));
        var expiration = r.ReadU64();
        r.ExpectEnd();
        return new ExpiringProfileKeyCredential(t, u, v, aci, profileKey, expiration);
    }

    public byte[] Serialize() => [0x00, .. t.Bytes, .. u.Bytes, .. v.Bytes, .. Aci.Uuid, .. ProfileKey.Bytes, .. U64(ExpirationSeconds)];

    public byte[] Present(ServerPublicParams serverParams, GroupSecretParams groupParams) =>
        PresentWithRandom(serverParams, groupParams, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The 721-byte presentation: blinded MAC, the ACI and profile-key ciphertexts, and the proof linking them.</summary>
    public byte[] PresentWithRandom(ServerPublicParams serverParams, GroupSecretParams groupParams, ReadOnlySpan<byte> random32)
    {
        if (random32.Length != 32)
        {
            throw new ArgumentException("randomness is 32 bytes", nameof(random32));
        }

        var sho = ShoHmacSha256.Create(PresentationLabel, random32);
        var uid = UidStruct.From(Aci);
        var pk = new ProfileKeyStruct(ProfileKey.Bytes, Aci.Uuid);
        var z = sho.GetScalar();
        RistrettoPoint Gy(int i) => LegacyCredentialGenerators.Gy(i);
        var cy1 = (z * Gy(1)) + uid.M1;
        var cy2 = (z * Gy(2)) + uid.M2;
        var cy3 = (z * Gy(3)) + pk.M3;
        var cy4 = (z * Gy(4)) + pk.M4;
        var cy5 = z * Gy(5);
        var cx0 = (z * LegacyCredentialGenerators.Gx0) + u;
        var cx1 = (z * LegacyCredentialGenerators.Gx1) + (t * u);
        var cv = (z * LegacyCredentialGenerators.GV) + v;

        var a1 = groupParams.A1;
        var a2 = groupParams.A2;
        var b1 = groupParams.B1;
        var b2 = groupParams.B2;
        var z0 = -(z * t);
        var z1 = -(z * a1);
        var z2 = -(z * b1);
        var bigI = serverParams.ExpiringProfileKeyI;
        var bigZ = z * bigI;
        var cipher = new ClientZkGroupCipher(groupParams);
        var ea = cipher.EncryptUid(uid);
        var eb = cipher.EncryptProfileKey(ProfileKey.Bytes, Aci);

        var scalars = new Dictionary<string, Scalar>
        {
            ["z"] = z, ["t"] = t, ["z0"] = z0, ["a1"] = a1, ["a2"] = a2, ["b1"] = b1, ["b2"] = b2, ["z1"] = z1, ["z2"] = z2,
        };
        var points = new Dictionary<string, RistrettoPoint>
        {
            ["Z"] = bigZ,
            ["I"] = bigI,
            ["C_x1"] = cx1,
            ["C_x0"] = cx0,
            ["G_x0"] = LegacyCredentialGenerators.Gx0,
            ["G_x1"] = LegacyCredentialGenerators.Gx1,
            ["A+B"] = groupParams.UidPublicKey + groupParams.ProfileKeyPublicKey,
            ["G_a1"] = GroupGenerators.Ga1,
            ["G_a2"] = GroupGenerators.Ga2,
            ["G_b1"] = GroupGenerators.Gb1,
            ["G_b2"] = GroupGenerators.Gb2,
            ["C_y2-E_A2"] = cy2 - ea.E2,
            ["G_y2"] = Gy(2),
            ["-E_A1"] = -ea.E1,
            ["E_A1"] = ea.E1,
            ["C_y1"] = cy1,
            ["G_y1"] = Gy(1),
            ["C_y4-E_B2"] = cy4 - eb.E2,
            ["G_y4"] = Gy(4),
            ["-E_B1"] = -eb.E1,
            ["E_B1"] = eb.E1,
            ["C_y3"] = cy3,
            ["G_y3"] = Gy(3),
            ["0"] = RistrettoPoint.Identity,
            ["C_y5"] = cy5,
            ["G_y5"] = Gy(5),
        };
        var proof = Presentation.Prove(scalars, points, [], sho.Squeeze(32));
        return
        [
            PresentationVersion, .. cx0.Bytes, .. cx1.Bytes, .. cy1.Bytes, .. cy2.Bytes, .. cy3.Bytes, .. cy4.Bytes, .. cy5.Bytes,
            .. cv.Bytes, .. U64((ulong)proof.Length), .. proof, .. ea.E1.Bytes, .. ea.E2.Bytes, .. eb.E1.Bytes, .. eb.E2.Bytes,
            .. U64(ExpirationSeconds),
        ];
    }

    private static byte[] U64(ulong value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return b;
    }
}
