using SignalSharp.ZkGroup.Internal.Curve;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// An element of GF(2^255 − 19) with operators, over <see cref="Fe"/>'s constant-time 51-bit limbs: the readable form
/// the inverse Elligator map is written in. Only the operations that map needs are here.
/// </summary>
internal readonly struct FieldElement
{
    private readonly Fe value;

    public FieldElement(in Fe value) => this.value = value;

    public static FieldElement Zero => new(Fe.Zero);

    public static FieldElement One => new(Fe.One);

    public Fe Value => value;

    /// <summary>Decodes 32 little-endian bytes with the top bit ignored (values ≥ p are reduced).</summary>
    public static FieldElement FromBytes(ReadOnlySpan<byte> b32) => new(Fe.FromBytes(b32));

    public static FieldElement FromHex(string hex) => FromBytes(Convert.FromHexString(hex));

    public static FieldElement operator +(FieldElement x, FieldElement y) => new(Fe.Reduce(Fe.Add(x.value, y.value)));

    public static FieldElement operator -(FieldElement x, FieldElement y) => new(Fe.Sub(x.value, y.value));

    public static FieldElement operator -(FieldElement x) => new(Fe.Neg(x.value));

    public static FieldElement operator *(FieldElement x, FieldElement y) => new(Fe.Mul(x.value, y.value));

    public FieldElement Square() => new(Fe.Square(value));

    /// <summary>x^(2^n).</summary>
    public FieldElement SquareTimes(int n) => new(Fe.SquareTimes(value, n));

    /// <summary>The canonical 32-byte little-endian encoding.</summary>
    public byte[] ToBytes() => value.ToArray();

    /// <summary>RFC 9496's IS_NEGATIVE: the low bit of the canonical encoding.</summary>
    public bool IsNegative => value.IsNegative;

    public bool IsZero => Fe.IsZeroMask(value) != 0;

    public bool CtEquals(FieldElement other) => Fe.EqMask(value, other.value) != 0;

    public FieldElement Abs() => new(Fe.Abs(value));

    /// <summary>Constant-time choice: <paramref name="ifTrue"/> when <paramref name="choice"/>, else <paramref name="ifFalse"/>.</summary>
    public static FieldElement Select(FieldElement ifTrue, FieldElement ifFalse, bool choice) =>
        new(Fe.Select(ifFalse.value, ifTrue.value, 0 - (ulong)(choice ? 1 : 0)));

    /// <summary>x^((p−5)/8) = x^(2^252 − 3).</summary>
    public FieldElement PowP58() => new(Fe.PowP58(value));

    /// <summary>
    /// RFC 9496 SQRT_RATIO_M1: (true, √(u/v)) when u/v is square, else (false, √(i·u/v)); the root is non-negative.
    /// u = 0 gives (true, 0); v = 0 with u ≠ 0 gives (false, 0).
    /// </summary>
    public static (bool WasSquare, FieldElement Root) SqrtRatioM1(FieldElement u, FieldElement v)
    {
        var square = Fe.SqrtRatioM1(u.value, v.value, out var root);
        return (square != 0, new FieldElement(root));
    }

    public static (bool WasSquare, FieldElement Root) InvSqrt(FieldElement x) => SqrtRatioM1(One, x);

    /// <summary>The curve and lizard constants, canonical little-endian.</summary>
    internal static class Constants
    {
        public static readonly FieldElement SqrtM1 = new(Fe.Constants.SqrtM1);
        public static readonly FieldElement D = new(Fe.Constants.D);
        public static readonly FieldElement SqrtId = FromHex("a81b5c4acb2a3075aa6dea0e2da9bccd156eeb739954347597eb7bf45855b305");
        public static readonly FieldElement Dp1OverDm1 = FromHex("2cbb819b5fac7f27c81d24cdf1e79a4824189f995fd9f8ae9dd8e8a730c8670e");
        public static readonly FieldElement MDoubleInvSqrtAMinusD = FromHex("067e45ffaa046ecc821a7d4bd1d3a1c57e4ffc03dc087bd2bb06a060f4ed260f");
        public static readonly FieldElement MiDoubleInvSqrtAMinusD = FromHex("d8bb776310b75d169c6cb5d738eea59c10590b288558e03d503d5606680b1b14");
        public static readonly FieldElement MInvSqrtOnePlusD = FromHex("012244ce7724d1f4b1492594e308adb17753fa6bbdd30fe157e1d4fc4b7af275");
    }
}
