using System.Buffers.Binary;
using SignalSharp.ZkGroup.Internal;
using SignalSharp.ZkGroup.Internal.Poksho;

namespace SignalSharp.ZkGroup.Profiles;

/// <summary>
/// The server's blinded expiring profile-key credential (497 bytes:
/// 0x00 ‖ t ‖ U ‖ S1 ‖ S2 ‖ u64LE(expiration) ‖ u64LE(352) ‖ proof), checked against the server's published key.
/// </summary>
public sealed class ExpiringProfileKeyCredentialResponse
{
    private const string TimestampLabel = "Signal_ZKGroup_20220524_Timestamp_Calc_m";
    private const ulong SecondsPerDay = 86400;

    private static readonly PokshoStatement Issuance = BuildStatement();

    private readonly Scalar t;
    private readonly RistrettoPoint u;
    private readonly RistrettoPoint s1;
    private readonly RistrettoPoint s2;
    private readonly byte[] proof;

    private ExpiringProfileKeyCredentialResponse(Scalar t, RistrettoPoint u, RistrettoPoint s1, RistrettoPoint s2, ulong expiration, byte[] proof)
    {
        this.t = t;
        this.u = u;
        this.s1 = s1;
        this.s2 = s2;
        ExpirationSeconds = expiration;
        this.proof = proof;
    }

    public ulong ExpirationSeconds { get; }

    public static ExpiringProfileKeyCredentialResponse Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(ExpiringProfileKeyCredentialResponse));
        r.ExpectVersion(0);
        var t = r.ReadScalar();
        var u = r.ReadPoint();
        var s1 = r.ReadPoint();
        var s2 = r.ReadPoint();
        var expiration = r.ReadU64();
        if (r.ReadU64() != 352)
        {
            throw new ZkGroupDeserializationException(nameof(ExpiringProfileKeyCredentialResponse), "proof length");
        }

        var proof = r.ReadBytes(352).ToArray();
        r.ExpectEnd();
        return new ExpiringProfileKeyCredentialResponse(t, u, s1, s2, expiration, proof);
    }

    /// <summary>Verifies the issuance proof and the expiration window (a whole day, 1 to 7 days ahead) and unblinds.</summary>
    public ExpiringProfileKeyCredential Receive(ProfileKeyCredentialRequestContext context, ServerPublicParams serverParams, DateTimeOffset now)
    {
        const string what = nameof(ExpiringProfileKeyCredentialResponse);
        var uid = UidStruct.From(context.Aci);
        var points = new Dictionary<string, RistrettoPoint>
        {
            ["C_W"] = serverParams.ExpiringProfileKeyCw,
            ["G_w"] = LegacyCredentialGenerators.Gw,
            ["G_wprime"] = LegacyCredentialGenerators.GwPrime,
            ["G_V-I"] = LegacyCredentialGenerators.GV - serverParams.ExpiringProfileKeyI,
            ["G_x0"] = LegacyCredentialGenerators.Gx0,
            ["G_x1"] = LegacyCredentialGenerators.Gx1,
            ["S1"] = s1,
            ["D1"] = context.D1,
            ["E1"] = context.E1,
            ["S2"] = s2,
            ["D2"] = context.D2,
            ["E2"] = context.E2,
            ["Y"] = context.PublicY,
            ["U"] = u,
            ["tU"] = t * u,
            ["M1"] = uid.M1,
            ["M2"] = uid.M2,
            ["M5"] = CalcM5(ExpirationSeconds),
        };
        for (var i = 1; i <= 5; i++)
        {
            points[$"G_y{i}"] = LegacyCredentialGenerators.Gy(i);
        }

        if (!Issuance.Verify(proof, points, []))
        {
            throw new ZkGroupVerificationException(what);
        }

        var nowSeconds = (ulong)Math.Max(0, now.ToUnixTimeSeconds());
        if (ExpirationSeconds % SecondsPerDay != 0 || ExpirationSeconds <= nowSeconds)
        {
            throw new ZkGroupVerificationException($"{what} expiration");
        }

        var days = (ExpirationSeconds - nowSeconds) / SecondsPerDay;
        if (days is < 1 or > 7)
        {
            throw new ZkGroupVerificationException($"{what} expiration");
        }

        var v = s2 - (context.Y * s1);
        return new ExpiringProfileKeyCredential(t, u, v, context.Aci, context.ProfileKey, ExpirationSeconds);
    }

    internal static RistrettoPoint CalcM5(ulong expiration)
    {
        var be = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(be, expiration);
        return ShoHmacSha256.Create(TimestampLabel, be).GetScalar() * LegacyCredentialGenerators.Gm(5);
    }

    private static PokshoStatement BuildStatement() => new PokshoStatement()
        .Add("C_W", ("w", "G_w"), ("wprime", "G_wprime"))
        .Add("G_V-I", ("x0", "G_x0"), ("x1", "G_x1"), ("y1", "G_y1"), ("y2", "G_y2"), ("y3", "G_y3"), ("y4", "G_y4"), ("y5", "G_y5"))
        .Add("S1", ("y3", "D1"), ("y4", "E1"), ("rprime", "G"))
        .Add(
            "S2",
            ("y3", "D2"), ("y4", "E2"), ("rprime", "Y"), ("w", "G_w"), ("x0", "U"), ("x1", "tU"), ("y1", "M1"), ("y2", "M2"), ("y5", "M5"));
}
