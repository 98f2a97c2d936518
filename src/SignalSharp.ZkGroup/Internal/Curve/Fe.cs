using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SignalSharp.ZkGroup.Internal.Curve;

/// <summary>
/// An element of GF(2^255 − 19) in five unsigned 51-bit limbs (radix 2^51), multiplied with 64×64→128-bit products.
/// A value type with no heap state, so chains of operations allocate nothing. Every operation is constant-time:
/// no branch and no memory access depends on a limb. Results of <see cref="Mul"/>, <see cref="Square"/> and
/// <see cref="Sub"/> have limbs below 2^51 + 2^13; <see cref="Add"/> does not reduce, so its limbs may reach 2^53,
/// which the multiplier still accepts (it needs limbs below 2^54).
/// </summary>
internal struct Fe
{
    internal const ulong Mask = (1UL << 51) - 1;

    public ulong L0;
    public ulong L1;
    public ulong L2;
    public ulong L3;
    public ulong L4;

    public Fe(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
        L4 = l4;
    }

    public static Fe Zero => default;

    public static Fe One => new(1, 0, 0, 0, 0);

    /// <summary>Decodes 32 little-endian bytes, ignoring the top bit; values in [p, 2^255) are kept unreduced.</summary>
    public static Fe FromBytes(ReadOnlySpan<byte> b)
    {
        var w0 = BinaryPrimitives.ReadUInt64LittleEndian(b);
        var w1 = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        var w2 = BinaryPrimitives.ReadUInt64LittleEndian(b[16..]);
        var w3 = BinaryPrimitives.ReadUInt64LittleEndian(b[24..]);
        return new Fe(w0 & Mask, ((w0 >> 51) | (w1 << 13)) & Mask, ((w1 >> 38) | (w2 << 26)) & Mask, ((w2 >> 25) | (w3 << 39)) & Mask, (w3 >> 12) & Mask);
    }

    public static Fe FromHex(string hex) => FromBytes(Convert.FromHexString(hex));

    /// <summary>The canonical encoding (fully reduced below p).</summary>
    public readonly void ToBytes(Span<byte> output)
    {
        var r = Reduce(this);

        // q = 1 exactly when r ≥ p, found as the carry out of r + 19.
        var q = (r.L0 + 19) >> 51;
        q = (r.L1 + q) >> 51;
        q = (r.L2 + q) >> 51;
        q = (r.L3 + q) >> 51;
        q = (r.L4 + q) >> 51;
        r.L0 += 19 * q;
        r.L1 += r.L0 >> 51;
        r.L0 &= Mask;
        r.L2 += r.L1 >> 51;
        r.L1 &= Mask;
        r.L3 += r.L2 >> 51;
        r.L2 &= Mask;
        r.L4 += r.L3 >> 51;
        r.L3 &= Mask;
        r.L4 &= Mask;
        BinaryPrimitives.WriteUInt64LittleEndian(output, r.L0 | (r.L1 << 51));
        BinaryPrimitives.WriteUInt64LittleEndian(output[8..], (r.L1 >> 13) | (r.L2 << 38));
        BinaryPrimitives.WriteUInt64LittleEndian(output[16..], (r.L2 >> 26) | (r.L3 << 25));
        BinaryPrimitives.WriteUInt64LittleEndian(output[24..], (r.L3 >> 39) | (r.L4 << 12));
    }

    public readonly byte[] ToArray()
    {
        var b = new byte[32];
        ToBytes(b);
        return b;
    }

    /// <summary>RFC 9496's IS_NEGATIVE: the low bit of the canonical encoding, as 0 or 1.</summary>
    public readonly ulong IsNegativeBit()
    {
        Span<byte> b = stackalloc byte[32];
        ToBytes(b);
        return (ulong)(b[0] & 1);
    }

    public readonly bool IsNegative => IsNegativeBit() == 1;

    /// <summary>All ones when the two elements are equal mod p, else zero; constant-time.</summary>
    public static ulong EqMask(in Fe a, in Fe b)
    {
        Span<byte> x = stackalloc byte[32];
        Span<byte> y = stackalloc byte[32];
        a.ToBytes(x);
        b.ToBytes(y);
        var acc = 0UL;
        for (var i = 0; i < 32; i += 8)
        {
            acc |= BinaryPrimitives.ReadUInt64LittleEndian(x[i..]) ^ BinaryPrimitives.ReadUInt64LittleEndian(y[i..]);
        }

        // acc = 0 ⇔ equal; (acc | −acc) has its top bit set exactly when acc ≠ 0.
        return ((acc | (0 - acc)) >> 63) - 1;
    }

    public static ulong IsZeroMask(in Fe a) => EqMask(a, Zero);

    /// <summary>b where the mask is all ones, a where it is zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe Select(in Fe a, in Fe b, ulong mask) => new(
        a.L0 ^ ((a.L0 ^ b.L0) & mask),
        a.L1 ^ ((a.L1 ^ b.L1) & mask),
        a.L2 ^ ((a.L2 ^ b.L2) & mask),
        a.L3 ^ ((a.L3 ^ b.L3) & mask),
        a.L4 ^ ((a.L4 ^ b.L4) & mask));

    public static Fe CondNegate(in Fe a, ulong mask) => Select(a, Neg(a), mask);

    /// <summary>RFC 9496's CT_ABS: the non-negative one of ±a.</summary>
    public static Fe Abs(in Fe a) => CondNegate(a, 0 - a.IsNegativeBit());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe Add(in Fe a, in Fe b) => new(a.L0 + b.L0, a.L1 + b.L1, a.L2 + b.L2, a.L3 + b.L3, a.L4 + b.L4);

    /// <summary>a − b, computed as a + 16p − b so no limb underflows (b's limbs must be below 2^55).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe Sub(in Fe a, in Fe b) => Reduce(new Fe(
        (a.L0 + 36028797018963664UL) - b.L0,
        (a.L1 + 36028797018963952UL) - b.L1,
        (a.L2 + 36028797018963952UL) - b.L2,
        (a.L3 + 36028797018963952UL) - b.L3,
        (a.L4 + 36028797018963952UL) - b.L4));

    public static Fe Neg(in Fe a) => Sub(Zero, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe Reduce(in Fe a)
    {
        var c0 = a.L0 >> 51;
        var c1 = a.L1 >> 51;
        var c2 = a.L2 >> 51;
        var c3 = a.L3 >> 51;
        var c4 = a.L4 >> 51;
        return new Fe((a.L0 & Mask) + (c4 * 19), (a.L1 & Mask) + c0, (a.L2 & Mask) + c1, (a.L3 & Mask) + c2, (a.L4 & Mask) + c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe Mul(in Fe a, in Fe b) => FieldMultiplier.Mul(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe Square(in Fe a) => FieldMultiplier.Square(a);

    public static Fe MulSmall(in Fe a, ulong k) => FieldMultiplier.MulSmall(a, k);

    /// <summary>a^(2^n), n ≥ 1.</summary>
    public static Fe SquareTimes(in Fe a, int n)
    {
        var r = Square(a);
        for (var i = 1; i < n; i++)
        {
            r = Square(r);
        }

        return r;
    }

    /// <summary>2·a².</summary>
    public static Fe Square2(in Fe a)
    {
        var s = Square(a);
        return Add(s, s);
    }

    /// <summary>1/a (0 for a = 0), as a^(p − 2).</summary>
    public static Fe Invert(in Fe a)
    {
        var (t250, t11) = Pow22501(a);
        return Mul(SquareTimes(t250, 5), t11);
    }

    /// <summary>a^((p − 5)/8) = a^(2^252 − 3).</summary>
    public static Fe PowP58(in Fe a)
    {
        var (t250, _) = Pow22501(a);
        return Mul(SquareTimes(t250, 2), a);
    }

    /// <summary>
    /// RFC 9496 SQRT_RATIO_M1: (all ones, √(u/v)) when u/v is a square, else (0, √(i·u/v)); the root is non-negative.
    /// u = 0 gives (all ones, 0); v = 0 with u ≠ 0 gives (0, 0).
    /// </summary>
    public static ulong SqrtRatioM1(in Fe u, in Fe v, out Fe root)
    {
        var v3 = Mul(Square(v), v);
        var v7 = Mul(Square(v3), v);
        return FinishSqrtRatio(u, v, Mul(Mul(u, v3), PowP58(Mul(u, v7))), out root);
    }

    /// <summary>SQRT_RATIO_M1 from its candidate r = u·v³·(u·v⁷)^((p − 5)/8): the checks and the fix by √−1.</summary>
    private static ulong FinishSqrtRatio(in Fe u, in Fe v, Fe r, out Fe root)
    {
        var check = Mul(v, Square(r));
        var negU = Neg(u);
        var correct = EqMask(check, u);
        var flipped = EqMask(check, negU);
        var flippedI = EqMask(check, Mul(negU, Constants.SqrtM1));
        r = Select(r, Mul(Constants.SqrtM1, r), flipped | flippedI);
        root = Abs(r);
        return correct | flipped;
    }

    /// <summary>
    /// <see cref="SqrtRatioM1"/> for many pairs (root[i], mask[i] from u[i], v[i]): the exponentiation, nearly all of
    /// the work, runs eight pairs at a time in <see cref="FeVec"/> lanes where the CPU accelerates them.
    /// </summary>
    public static void SqrtRatioM1Many(ReadOnlySpan<Fe> u, ReadOnlySpan<Fe> v, Span<Fe> root, Span<ulong> wasSquare)
    {
        var n = u.Length;
        if (!FeVec.IsAccelerated)
        {
            for (var i = 0; i < n; i++)
            {
                wasSquare[i] = SqrtRatioM1(u[i], v[i], out root[i]);
            }

            return;
        }

        Span<Fe> uv3 = n <= 64 ? stackalloc Fe[n] : new Fe[n];
        Span<Fe> pow = n <= 64 ? stackalloc Fe[n] : new Fe[n];
        Span<Fe> lanes = stackalloc Fe[FeVec.Lanes];
        for (var i = 0; i < n; i++)
        {
            var v3 = Mul(Square(v[i]), v[i]);
            uv3[i] = Mul(u[i], v3);
            pow[i] = Mul(u[i], Mul(Square(v3), v[i]));
        }

        for (var start = 0; start < n; start += FeVec.Lanes)
        {
            var count = Math.Min(FeVec.Lanes, n - start);
            lanes.Fill(One);
            pow.Slice(start, count).CopyTo(lanes);
            FeVec.PowP58(FeVec.Load(lanes)).Store(lanes);
            lanes[..count].CopyTo(pow.Slice(start, count));
        }

        for (var i = 0; i < n; i++)
        {
            wasSquare[i] = FinishSqrtRatio(u[i], v[i], Mul(uv3[i], pow[i]), out root[i]);
        }
    }

    /// <summary>Inverts every element in place with one field inversion (Montgomery's trick); zeros stay zero.</summary>
    public static void BatchInvert(Span<Fe> values)
    {
        if (values.Length == 0)
        {
            return;
        }

        // prefix[i] = product of values[0..i) with zeros skipped (replaced by one), so one zero spoils nothing.
        var prefix = new Fe[values.Length];
        var acc = One;
        for (var i = 0; i < values.Length; i++)
        {
            prefix[i] = acc;
            var zero = IsZeroMask(values[i]);
            acc = Select(Mul(acc, values[i]), acc, zero);
        }

        var inv = Invert(acc);
        for (var i = values.Length - 1; i >= 0; i--)
        {
            var zero = IsZeroMask(values[i]);
            var vi = values[i];
            values[i] = Select(Mul(inv, prefix[i]), Zero, zero);
            inv = Select(Mul(inv, vi), inv, zero);
        }
    }

    /// <summary>(a^(2^250 − 1), a^11), the shared head of the inversion and square-root chains.</summary>
    private static (Fe T250, Fe T11) Pow22501(in Fe a)
    {
        var a2 = Square(a);
        var a9 = Mul(SquareTimes(a2, 2), a);
        var a11 = Mul(a9, a2);
        var e5 = Mul(Square(a11), a9);
        var e10 = Mul(SquareTimes(e5, 5), e5);
        var e20 = Mul(SquareTimes(e10, 10), e10);
        var e40 = Mul(SquareTimes(e20, 20), e20);
        var e50 = Mul(SquareTimes(e40, 10), e10);
        var e100 = Mul(SquareTimes(e50, 50), e50);
        var e200 = Mul(SquareTimes(e100, 100), e100);
        var e250 = Mul(SquareTimes(e200, 50), e50);
        return (e250, a11);
    }

    /// <summary>Curve and ristretto255 constants (RFC 9496 §4.1), canonical little-endian.</summary>
    internal static class Constants
    {
        public static readonly Fe SqrtM1 = FromHex("b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b");
        public static readonly Fe D = FromHex("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352");
        public static readonly Fe D2 = Add(D, D);

        /// <summary>1/√(a − d) with a = −1 (RFC 9496's INVSQRT_A_MINUS_D).</summary>
        public static readonly Fe InvSqrtAMinusD = Dec("54469307008909316920995813868745141605393597292927456921205312896311721017578");

        public static readonly Fe OneMinusDSq = Dec("1159843021668779879193775521855586647937357759715417654439879720876111806838");
        public static readonly Fe DMinusOneSq = Dec("40440834346308536858101042469323190826248399146238708352240133220865137265952");
        public static readonly Fe SqrtAdMinusOne = Dec("25063068953384623474111414158702152701244531502492656460079210482610430750235");

        private static Fe Dec(string decimalValue)
        {
            var b = System.Numerics.BigInteger.Parse(decimalValue, System.Globalization.CultureInfo.InvariantCulture).ToByteArray(isUnsigned: true, isBigEndian: false);
            var padded = new byte[32];
            b.CopyTo(padded, 0);
            return FromBytes(padded);
        }
    }
}
