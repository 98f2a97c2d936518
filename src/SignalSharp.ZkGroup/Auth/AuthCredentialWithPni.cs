using System.Buffers.Binary;
using SignalSharp.ZkGroup.Groups;
using SignalSharp.ZkGroup.Internal;
using SignalSharp.ZkGroup.Internal.Poksho;

namespace SignalSharp.ZkGroup.Auth;

/// <summary>
/// A received group-auth credential (265 bytes: 0x03 ‖ t ‖ U ‖ V ‖ aci struct ‖ pni struct ‖ u64LE(redemption)).
/// Presenting it to the group server proves membership of the encrypted ACI and PNI without revealing them.
/// </summary>
public sealed class AuthCredentialWithPni
{
    private const string PresentationLabel = "Signal_ZKCredential_Presentation_20230410";
    private const int AttributePoints = 5;

    private static readonly PokshoStatement Presentation = BuildPresentationStatement();

    private readonly Scalar t;
    private readonly RistrettoPoint u;
    private readonly RistrettoPoint v;
    private readonly UidStruct aci;
    private readonly UidStruct pni;

    internal AuthCredentialWithPni(Scalar t, RistrettoPoint u, RistrettoPoint v, UidStruct aci, UidStruct pni, ulong redemptionTime)
    {
        this.t = t;
        this.u = u;
        this.v = v;
        this.aci = aci;
        this.pni = pni;
        RedemptionTime = redemptionTime;
    }

    public ulong RedemptionTime { get; }

    public ZkServiceId Aci => aci.ServiceId;

    public ZkServiceId Pni => pni.ServiceId;

    /// <summary>Loads a stored credential (as <see cref="Serialize"/> or libsignal writes it).</summary>
    public static AuthCredentialWithPni Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(AuthCredentialWithPni));
        r.ExpectVersion(AuthCredentialWithPniResponse.Version);
        var t = r.ReadScalar();
        var u = r.ReadPoint();
        var v = r.ReadPoint();
        var aci = UidStruct.Read(ref r, ZkServiceIdKind.Aci);
        var pni = UidStruct.Read(ref r, ZkServiceIdKind.Pni);
        var redemption = r.ReadU64();
        r.ExpectEnd();
        return new AuthCredentialWithPni(t, u, v, aci, pni, redemption);
    }

    public byte[] Serialize()
    {
        var time = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(time, RedemptionTime);
        return [AuthCredentialWithPniResponse.Version, .. t.Bytes, .. u.Bytes, .. v.Bytes, .. aci.Serialize(), .. pni.Serialize(), .. time];
    }

    public byte[] Present(ServerPublicParams serverParams, GroupSecretParams groupParams) =>
        PresentWithRandom(serverParams, groupParams, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The 633-byte presentation: blinded MAC commitments, the ACI and PNI ciphertexts under the group's UID key, the
    /// proof tying them together, and the redemption time.
    /// </summary>
    public byte[] PresentWithRandom(ServerPublicParams serverParams, GroupSecretParams groupParams, ReadOnlySpan<byte> random32)
    {
        if (random32.Length != 32)
        {
            throw new ArgumentException("randomness is 32 bytes", nameof(random32));
        }

        var sho = ShoHmacSha256.Create(PresentationLabel, random32);
        var z = sho.GetScalar();
        RistrettoPoint[] m = [RistrettoPoint.Identity, aci.M1, aci.M2, pni.M1, pni.M2];
        var cy = new RistrettoPoint[AttributePoints];
        for (var i = 0; i < AttributePoints; i++)
        {
            cy[i] = (z * ZkCredentialGenerators.Gy(i)) + m[i];
        }

        var cx0 = (z * ZkCredentialGenerators.Gx0) + u;
        var cx1 = (z * ZkCredentialGenerators.Gx1) + (t * u);
        var cv = (z * ZkCredentialGenerators.GV) + v;
        var z0 = -(z * t);
        var bigI = serverParams.GenericI[AttributePoints - 2];
        var bigZ = z * bigI;
        var a1 = groupParams.A1;
        var a2 = groupParams.A2;
        var z1 = -(z * a1);
        var cipher = new ClientZkGroupCipher(groupParams);
        var aciCt = cipher.EncryptUid(aci);
        var pniCt = cipher.EncryptUid(pni);

        var scalars = new Dictionary<string, Scalar>
        {
            ["z"] = z, ["t"] = t, ["z0"] = z0, ["z1"] = z1, ["a1"] = a1, ["a2"] = a2,
        };
        var points = new Dictionary<string, RistrettoPoint>
        {
            ["Z"] = bigZ,
            ["I"] = bigI,
            ["C_x1"] = cx1,
            ["C_x0"] = cx0,
            ["G_x0"] = ZkCredentialGenerators.Gx0,
            ["G_x1"] = ZkCredentialGenerators.Gx1,
            ["0"] = RistrettoPoint.Identity,
            ["sum(A)"] = groupParams.UidPublicKey,
            ["G_a1"] = GroupGenerators.Ga1,
            ["G_a2"] = GroupGenerators.Ga2,
            ["E_A1"] = aciCt.E1,
            ["C_y1"] = cy[1],
            ["G_y1"] = ZkCredentialGenerators.Gy(1),
            ["C_y2-E_A2"] = cy[2] - aciCt.E2,
            ["G_y2"] = ZkCredentialGenerators.Gy(2),
            ["-E_A1"] = -aciCt.E1,
            ["E_A3"] = pniCt.E1,
            ["C_y3"] = cy[3],
            ["G_y3"] = ZkCredentialGenerators.Gy(3),
            ["C_y4-E_A4"] = cy[4] - pniCt.E2,
            ["G_y4"] = ZkCredentialGenerators.Gy(4),
            ["-E_A3"] = -pniCt.E1,
            ["C_y0"] = cy[0],
            ["G_y0"] = ZkCredentialGenerators.Gy(0),
        };
        var proof = Presentation.Prove(scalars, points, [], sho.Squeeze(32));

        var output = new List<byte>(633) { AuthCredentialWithPniResponse.Version };
        output.AddRange(cx0.Bytes);
        output.AddRange(cx1.Bytes);
        output.AddRange(cv.Bytes);
        AddU64(output, AttributePoints);
        foreach (var c in cy)
        {
            output.AddRange(c.Bytes);
        }

        AddU64(output, (ulong)proof.Length);
        output.AddRange(proof);
        output.AddRange(aciCt.E1.Bytes);
        output.AddRange(aciCt.E2.Bytes);
        output.AddRange(pniCt.E1.Bytes);
        output.AddRange(pniCt.E2.Bytes);
        AddU64(output, RedemptionTime);
        return [.. output];
    }

    private static void AddU64(List<byte> output, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        output.AddRange(b);
    }

    private static PokshoStatement BuildPresentationStatement() => new PokshoStatement()
        .Add("Z", ("z", "I"))
        .Add("C_x1", ("t", "C_x0"), ("z0", "G_x0"), ("z", "G_x1"))
        .Add("0", ("z1", "I"), ("a1", "Z"))
        .Add("sum(A)", ("a1", "G_a1"), ("a2", "G_a2"))
        .Add("E_A1", ("a1", "C_y1"), ("z1", "G_y1"))
        .Add("C_y2-E_A2", ("z", "G_y2"), ("a2", "-E_A1"))
        .Add("E_A3", ("a1", "C_y3"), ("z1", "G_y3"))
        .Add("C_y4-E_A4", ("z", "G_y4"), ("a2", "-E_A3"))
        .Add("C_y0", ("z", "G_y0"));
}
