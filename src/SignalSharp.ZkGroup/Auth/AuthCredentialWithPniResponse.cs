using System.Buffers.Binary;
using SignalSharp.ZkGroup.Internal;
using SignalSharp.ZkGroup.Internal.Poksho;

namespace SignalSharp.ZkGroup.Auth;

/// <summary>
/// The server's issuance of a group-auth credential for (ACI, PNI, redemption day): a zkcredential MAC
/// V = W + (x0 + x1·t)·U + Σ y_i·M_i with a proof that it used the published key. 0x03 ‖ t ‖ U ‖ V ‖ u64LE(320) ‖ proof.
/// </summary>
public sealed class AuthCredentialWithPniResponse
{
    internal const byte Version = 0x03;
    private const string M0Label = "20240222_Signal_AuthCredentialZkc";
    private const int AttributePoints = 5;

    private static readonly PokshoStatement Issuance = BuildIssuanceStatement();

    private readonly Scalar t;
    private readonly RistrettoPoint u;
    private readonly RistrettoPoint v;
    private readonly byte[] proof;

    private AuthCredentialWithPniResponse(Scalar t, RistrettoPoint u, RistrettoPoint v, byte[] proof)
    {
        this.t = t;
        this.u = u;
        this.v = v;
        this.proof = proof;
    }

    public static AuthCredentialWithPniResponse Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(AuthCredentialWithPniResponse));
        r.ExpectVersion(Version);
        var t = r.ReadScalar();
        var u = r.ReadPoint();
        var v = r.ReadPoint();
        var proofLength = r.ReadU64();
        if (proofLength != 320)
        {
            throw new ZkGroupDeserializationException(nameof(AuthCredentialWithPniResponse), $"proof of {proofLength} bytes");
        }

        var proof = r.ReadBytes(320).ToArray();
        r.ExpectEnd();
        return new AuthCredentialWithPniResponse(t, u, v, proof);
    }

    /// <summary>Verifies the issuance proof for the expected ACI, PNI and day-aligned redemption time (epoch seconds).</summary>
    public AuthCredentialWithPni Receive(ZkServiceId aci, ZkServiceId pni, ulong redemptionTime, ServerPublicParams serverParams)
    {
        if (aci.Kind != ZkServiceIdKind.Aci || pni.Kind != ZkServiceIdKind.Pni)
        {
            throw new ArgumentException("an auth credential binds an ACI and a PNI");
        }

        return ReceiveFor(aci, UidStruct.From(pni), redemptionTime, serverParams);
    }

    /// <summary>
    /// For a credential the server issued without knowing the PNI: the PNI attribute is a stand-in derived from the
    /// ACI and the salt the server used.
    /// </summary>
    public AuthCredentialWithPni ReceiveWithoutPni(ZkServiceId aci, ReadOnlySpan<byte> salt, ulong redemptionTime, ServerPublicParams serverParams)
    {
        if (aci.Kind != ZkServiceIdKind.Aci)
        {
            throw new ArgumentException("an auth credential binds an ACI", nameof(aci));
        }

        return ReceiveFor(aci, UidStruct.ForFalsePni(aci, salt), redemptionTime, serverParams);
    }

    private AuthCredentialWithPni ReceiveFor(ZkServiceId aci, UidStruct pniStruct, ulong redemptionTime, ServerPublicParams serverParams)
    {
        if (redemptionTime % 86400 != 0)
        {
            throw new ZkGroupVerificationException($"{nameof(AuthCredentialWithPniResponse)} redemption time");
        }

        var aciStruct = UidStruct.From(aci);
        RistrettoPoint[] m = [CalcM0(redemptionTime), aciStruct.M1, aciStruct.M2, pniStruct.M1, pniStruct.M2];
        var points = new Dictionary<string, RistrettoPoint>
        {
            ["C_W"] = serverParams.GenericCw,
            ["G_w"] = ZkCredentialGenerators.Gw,
            ["G_wprime"] = ZkCredentialGenerators.GwPrime,
            ["G_V-I"] = ZkCredentialGenerators.GV - serverParams.GenericI[AttributePoints - 2],
            ["G_x0"] = ZkCredentialGenerators.Gx0,
            ["G_x1"] = ZkCredentialGenerators.Gx1,
            ["V"] = v,
            ["U"] = u,
            ["tU"] = t * u,
        };
        for (var i = 0; i < AttributePoints; i++)
        {
            points[$"G_y{i}"] = ZkCredentialGenerators.Gy(i);
            points[$"M{i}"] = m[i];
        }

        if (!Issuance.Verify(proof, points, []))
        {
            throw new ZkGroupVerificationException(nameof(AuthCredentialWithPniResponse));
        }

        return new AuthCredentialWithPni(t, u, v, aciStruct, pniStruct, redemptionTime);
    }

    /// <summary>The public attribute point: a hash of the redemption time.</summary>
    internal static RistrettoPoint CalcM0(ulong redemptionTime)
    {
        var be = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(be, redemptionTime);
        return ShoHmacSha256.Create(M0Label, be).GetPoint();
    }

    private static PokshoStatement BuildIssuanceStatement()
    {
        var st = new PokshoStatement();
        st.Add("C_W", ("w", "G_w"), ("wprime", "G_wprime"));
        var secretTerms = new List<(string, string)> { ("x0", "G_x0"), ("x1", "G_x1") };
        var macTerms = new List<(string, string)> { ("w", "G_w"), ("x0", "U"), ("x1", "tU") };
        for (var i = 0; i < AttributePoints; i++)
        {
            secretTerms.Add(($"y{i}", $"G_y{i}"));
            macTerms.Add(($"y{i}", $"M{i}"));
        }

        st.Add("G_V-I", [.. secretTerms]);
        st.Add("V", [.. macTerms]);
        return st;
    }
}
