using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup.Tests.Internal;

/// <summary>libsodium's identity and return-code semantics, as the wrappers expose them.</summary>
public sealed class RistrettoTests
{
    private static Scalar RandomScalar() => Scalar.FromWide(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));

    [Fact]
    public void From_hash_of_zeros_is_the_identity_so_a_single_map_is_from_hash_with_a_zero_half()
    {
        Assert.True(RistrettoPoint.FromUniformBytes(new byte[64]).IsIdentity);
        var t = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var u = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        Assert.Equal(RistrettoPoint.FromUniformBytes([.. t, .. u]), RistrettoPoint.MapToCurve(t) + RistrettoPoint.MapToCurve(u));
    }

    [Fact]
    public void Identity_products_are_the_identity_not_errors()
    {
        var s = RandomScalar();
        Assert.True((Scalar.Zero * RistrettoPoint.BasePoint).IsIdentity);
        Assert.True(RistrettoPoint.MulBase(Scalar.Zero).IsIdentity);
        Assert.True((s * RistrettoPoint.Identity).IsIdentity);
        Assert.True(RistrettoPoint.TryDecode(new byte[32], out var id) && id.IsIdentity);
        Assert.Equal(RistrettoPoint.BasePoint, RistrettoPoint.BasePoint + RistrettoPoint.Identity);
    }

    [Fact]
    public void Scalar_and_point_arithmetic_agree()
    {
        var x = RandomScalar();
        var y = RandomScalar();
        var b = RistrettoPoint.BasePoint;
        Assert.Equal((x + y) * b, (x * b) + (y * b));
        Assert.Equal((x - y) * b, (x * b) - (y * b));
        Assert.Equal(x * (y * b), (x * y) * b);
        Assert.Equal(-(x * b), (-x) * b);
        Assert.Equal(b, x.Invert() * (x * b));
        Assert.Equal(RistrettoPoint.MulBase(x), x * b);
    }

    [Fact]
    public void Non_canonical_scalars_and_invalid_points_are_rejected()
    {
        var order = Convert.FromHexString("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
        Assert.False(Scalar.TryFromCanonical(order, out _));
        order[0]--;
        Assert.True(Scalar.TryFromCanonical(order, out _));
        var bad = new byte[32];
        bad[0] = 1;
        Assert.False(RistrettoPoint.TryDecode(bad, out _));
    }
}
