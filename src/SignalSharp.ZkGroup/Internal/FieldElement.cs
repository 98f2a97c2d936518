using Org.BouncyCastle.Math.EC.Rfc7748;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// An element of GF(2^255 − 19) on BouncyCastle's constant-time <see cref="X25519Field"/> limbs. Every result is
/// carried back into range so that chains of additions never overflow the limbs the multiplier accepts. Only the
/// operations the ristretto decode and the inverse Elligator map need are here.
/// </summary>
internal readonly struct FieldElement
{
    private readonly int[] limbs;

    private FieldElement(int[] limbs) => this.limbs = limbs;

    public static FieldElement Zero => new(X25519Field.Create());

    public static FieldElement One
    {
        get
        {
            var z = X25519Field.Create();
            X25519Field.One(z);
            return new FieldElement(z);
        }
    }

    /// <summary>Decodes 32 little-endian bytes with the top bit ignored (values ≥ p are reduced).</summary>
    public static FieldElement FromBytes(ReadOnlySpan<byte> b32)
    {
        var z = X25519Field.Create();
        var copy = b32[..32].ToArray();
        copy[31] &= 0x7F;
        X25519Field.Decode255(copy, z);
        X25519Field.Normalize(z);
        return new FieldElement(z);
    }

    public static FieldElement FromHex(string hex) => FromBytes(Convert.FromHexString(hex));

    public static FieldElement operator +(FieldElement x, FieldElement y)
    {
        var z = X25519Field.Create();
        X25519Field.Add(x.limbs, y.limbs, z);
        X25519Field.Normalize(z);
        return new FieldElement(z);
    }

    public static FieldElement operator -(FieldElement x, FieldElement y)
    {
        var z = X25519Field.Create();
        X25519Field.Sub(x.limbs, y.limbs, z);
        X25519Field.Normalize(z);
        return new FieldElement(z);
    }

    public static FieldElement operator -(FieldElement x)
    {
        var z = X25519Field.Create();
        X25519Field.Negate(x.limbs, z);
        X25519Field.Normalize(z);
        return new FieldElement(z);
    }

    public static FieldElement operator *(FieldElement x, FieldElement y)
    {
        var z = X25519Field.Create();
        X25519Field.Mul(x.limbs, y.limbs, z);
        X25519Field.Normalize(z);
        return new FieldElement(z);
    }

    public FieldElement Square() => SquareTimes(1);

    /// <summary>x^(2^n).</summary>
    public FieldElement SquareTimes(int n)
    {
        var z = X25519Field.Create();
        X25519Field.Sqr(limbs, n, z);
        X25519Field.Normalize(z);
        return new FieldElement(z);
    }

    /// <summary>The canonical 32-byte little-endian encoding.</summary>
    public byte[] ToBytes()
    {
        var copy = X25519Field.Create();
        X25519Field.Copy(limbs, 0, copy, 0);
        X25519Field.Normalize(copy);
        var b = new byte[32];
        X25519Field.Encode(copy, b, 0);
        return b;
    }

    /// <summary>RFC 9496's IS_NEGATIVE: the low bit of the canonical encoding.</summary>
    public bool IsNegative => (ToBytes()[0] & 1) == 1;

    public bool IsZero => CtEquals(Zero);

    public bool CtEquals(FieldElement other) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(ToBytes(), other.ToBytes());

    public FieldElement Abs() => Select(-this, this, IsNegative);

    /// <summary>Constant-time choice: <paramref name="ifTrue"/> when <paramref name="choice"/>, else <paramref name="ifFalse"/>.</summary>
    public static FieldElement Select(FieldElement ifTrue, FieldElement ifFalse, bool choice)
    {
        var z = X25519Field.Create();
        X25519Field.Copy(ifFalse.limbs, 0, z, 0);
        X25519Field.CMov(choice ? -1 : 0, ifTrue.limbs, 0, z, 0);
        return new FieldElement(z);
    }

    /// <summary>x^((p−5)/8) = x^(2^252 − 3), by the usual addition chain.</summary>
    public FieldElement PowP58()
    {
        var x = this;
        var z2 = x.Square();
        var z9 = z2.SquareTimes(2) * x;
        var z11 = z9 * z2;
        var z2_5_0 = z11.Square() * z9;
        var z2_10_0 = z2_5_0.SquareTimes(5) * z2_5_0;
        var z2_20_0 = z2_10_0.SquareTimes(10) * z2_10_0;
        var z2_40_0 = z2_20_0.SquareTimes(20) * z2_20_0;
        var z2_50_0 = z2_40_0.SquareTimes(10) * z2_10_0;
        var z2_100_0 = z2_50_0.SquareTimes(50) * z2_50_0;
        var z2_200_0 = z2_100_0.SquareTimes(100) * z2_100_0;
        var z2_250_0 = z2_200_0.SquareTimes(50) * z2_50_0;
        return z2_250_0.SquareTimes(2) * x;
    }

    /// <summary>
    /// RFC 9496 SQRT_RATIO_M1: (true, √(u/v)) when u/v is square, else (false, √(i·u/v)); the root is non-negative.
    /// u = 0 gives (true, 0); v = 0 with u ≠ 0 gives (false, 0).
    /// </summary>
    public static (bool WasSquare, FieldElement Root) SqrtRatioM1(FieldElement u, FieldElement v)
    {
        var v3 = v.Square() * v;
        var v7 = v3.Square() * v;
        var r = u * v3 * (u * v7).PowP58();
        var check = v * r.Square();
        var correctSign = check.CtEquals(u);
        var flippedSign = check.CtEquals(-u);
        var flippedSignI = check.CtEquals(-u * Constants.SqrtM1);
        r = Select(Constants.SqrtM1 * r, r, flippedSign | flippedSignI);
        return (correctSign | flippedSign, r.Abs());
    }

    public static (bool WasSquare, FieldElement Root) InvSqrt(FieldElement x) => SqrtRatioM1(One, x);

    /// <summary>The curve and lizard constants, canonical little-endian.</summary>
    internal static class Constants
    {
        public static readonly FieldElement SqrtM1 = FromHex("b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b");
        public static readonly FieldElement D = FromHex("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352");
        public static readonly FieldElement SqrtId = FromHex("a81b5c4acb2a3075aa6dea0e2da9bccd156eeb739954347597eb7bf45855b305");
        public static readonly FieldElement Dp1OverDm1 = FromHex("2cbb819b5fac7f27c81d24cdf1e79a4824189f995fd9f8ae9dd8e8a730c8670e");
        public static readonly FieldElement MDoubleInvSqrtAMinusD = FromHex("067e45ffaa046ecc821a7d4bd1d3a1c57e4ffc03dc087bd2bb06a060f4ed260f");
        public static readonly FieldElement MiDoubleInvSqrtAMinusD = FromHex("d8bb776310b75d169c6cb5d738eea59c10590b288558e03d503d5606680b1b14");
        public static readonly FieldElement MInvSqrtOnePlusD = FromHex("012244ce7724d1f4b1492594e308adb17753fa6bbdd30fe157e1d4fc4b7af275");
    }
}
