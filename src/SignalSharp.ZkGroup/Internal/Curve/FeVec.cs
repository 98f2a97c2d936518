using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SignalSharp.ZkGroup.Internal.Curve;

/// <summary>
/// Eight elements of GF(2^255 − 19) at once, one per 64-bit lane of a <see cref="Vector512{T}"/>, for work on many
/// independent points (the members of a group). Each element is ten limbs in radix 2^25.5 (limb i holds 26 bits
/// for even i, 25 for odd, at bit ⌈25.5·i⌉), so limb products are 32×32→64-bit lane multiplies (VPMULUDQ) and a
/// column of ten of them, the wrapped ones times 19 (2^255 ≡ 19), still fits in 64 bits. Constant-time: no branch
/// and no memory access depends on a limb.
/// <para>
/// Bounds: "reduced" means even limbs below 2^26 + 2^17 and odd limbs below 2^25 + 2^17; <see cref="Mul"/>,
/// <see cref="Square"/>, <see cref="Sub"/> and <see cref="Carry"/> return reduced values. <see cref="Add"/> does not
/// reduce; the multipliers accept one level of unreduced sums on both sides (limbs below 2^27.02, so 19·limb and
/// 2·limb stay below 2^32 and a column below 2^63) and <see cref="Sub"/> accepts one as the subtrahend.
/// </para>
/// </summary>
internal struct FeVec
{
    public const int Lanes = 8;

    private static readonly FeVec OneValue = Broadcast(Fe.One);

    private const ulong M26 = (1UL << 26) - 1;
    private const ulong M25 = (1UL << 25) - 1;

    public Vector512<ulong> L0;
    public Vector512<ulong> L1;
    public Vector512<ulong> L2;
    public Vector512<ulong> L3;
    public Vector512<ulong> L4;
    public Vector512<ulong> L5;
    public Vector512<ulong> L6;
    public Vector512<ulong> L7;
    public Vector512<ulong> L8;
    public Vector512<ulong> L9;

    /// <summary>True where the lanes are real vector instructions; elsewhere the scalar path is faster.</summary>
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    public static FeVec Zero => default;

    public static FeVec One => OneValue;

    /// <summary>The same element in every lane.</summary>
    public static FeVec Broadcast(in Fe a)
    {
        Span<Fe> lanes = stackalloc Fe[Lanes];
        lanes.Fill(a);
        return Load(lanes);
    }

    /// <summary>Lane j holds values[j]; 51-bit limbs split into a 26-bit and a 25-bit one.</summary>
    public static FeVec Load(ReadOnlySpan<Fe> values)
    {
        Span<ulong> t = stackalloc ulong[10 * Lanes];
        for (var j = 0; j < Lanes; j++)
        {
            var a = Fe.Reduce(values[j]);
            t[j] = a.L0 & M26;
            t[Lanes + j] = a.L0 >> 26;
            t[(2 * Lanes) + j] = a.L1 & M26;
            t[(3 * Lanes) + j] = a.L1 >> 26;
            t[(4 * Lanes) + j] = a.L2 & M26;
            t[(5 * Lanes) + j] = a.L2 >> 26;
            t[(6 * Lanes) + j] = a.L3 & M26;
            t[(7 * Lanes) + j] = a.L3 >> 26;
            t[(8 * Lanes) + j] = a.L4 & M26;
            t[(9 * Lanes) + j] = a.L4 >> 26;
        }

        return new FeVec
        {
            L0 = Vector512.Create<ulong>(t[..8]),
            L1 = Vector512.Create<ulong>(t[8..16]),
            L2 = Vector512.Create<ulong>(t[16..24]),
            L3 = Vector512.Create<ulong>(t[24..32]),
            L4 = Vector512.Create<ulong>(t[32..40]),
            L5 = Vector512.Create<ulong>(t[40..48]),
            L6 = Vector512.Create<ulong>(t[48..56]),
            L7 = Vector512.Create<ulong>(t[56..64]),
            L8 = Vector512.Create<ulong>(t[64..72]),
            L9 = Vector512.Create<ulong>(t[72..80]),
        };
    }

    /// <summary>values[j] = lane j, with 51-bit limbs (reduced as <see cref="Fe.Reduce"/> leaves them).</summary>
    public readonly void Store(Span<Fe> values)
    {
        var r = Carry(this);
        Span<ulong> t = stackalloc ulong[10 * Lanes];
        r.L0.CopyTo(t);
        r.L1.CopyTo(t[8..]);
        r.L2.CopyTo(t[16..]);
        r.L3.CopyTo(t[24..]);
        r.L4.CopyTo(t[32..]);
        r.L5.CopyTo(t[40..]);
        r.L6.CopyTo(t[48..]);
        r.L7.CopyTo(t[56..]);
        r.L8.CopyTo(t[64..]);
        r.L9.CopyTo(t[72..]);
        for (var j = 0; j < Lanes; j++)
        {
            values[j] = Fe.Reduce(new Fe(
                t[j] + (t[Lanes + j] << 26),
                t[(2 * Lanes) + j] + (t[(3 * Lanes) + j] << 26),
                t[(4 * Lanes) + j] + (t[(5 * Lanes) + j] << 26),
                t[(6 * Lanes) + j] + (t[(7 * Lanes) + j] << 26),
                t[(8 * Lanes) + j] + (t[(9 * Lanes) + j] << 26)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FeVec Add(in FeVec a, in FeVec b) => new()
    {
        L0 = a.L0 + b.L0,
        L1 = a.L1 + b.L1,
        L2 = a.L2 + b.L2,
        L3 = a.L3 + b.L3,
        L4 = a.L4 + b.L4,
        L5 = a.L5 + b.L5,
        L6 = a.L6 + b.L6,
        L7 = a.L7 + b.L7,
        L8 = a.L8 + b.L8,
        L9 = a.L9 + b.L9,
    };

    /// <summary>a − b as a + 4p − b, reduced; b may be an unreduced sum.</summary>
    public static FeVec Sub(in FeVec a, in FeVec b)
    {
        var p0 = Vector512.Create((4 * M26) - 72);
        var pe = Vector512.Create(4 * M26);
        var po = Vector512.Create(4 * M25);
        return Carry(new FeVec
        {
            L0 = a.L0 + p0 - b.L0,
            L1 = a.L1 + po - b.L1,
            L2 = a.L2 + pe - b.L2,
            L3 = a.L3 + po - b.L3,
            L4 = a.L4 + pe - b.L4,
            L5 = a.L5 + po - b.L5,
            L6 = a.L6 + pe - b.L6,
            L7 = a.L7 + po - b.L7,
            L8 = a.L8 + pe - b.L8,
            L9 = a.L9 + po - b.L9,
        });
    }

    public static FeVec Neg(in FeVec a) => Sub(Zero, a);

    /// <summary>b in the lanes where the mask is all ones, a elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FeVec Select(in FeVec a, in FeVec b, Vector512<ulong> mask) => new()
    {
        L0 = Vector512.ConditionalSelect(mask, b.L0, a.L0),
        L1 = Vector512.ConditionalSelect(mask, b.L1, a.L1),
        L2 = Vector512.ConditionalSelect(mask, b.L2, a.L2),
        L3 = Vector512.ConditionalSelect(mask, b.L3, a.L3),
        L4 = Vector512.ConditionalSelect(mask, b.L4, a.L4),
        L5 = Vector512.ConditionalSelect(mask, b.L5, a.L5),
        L6 = Vector512.ConditionalSelect(mask, b.L6, a.L6),
        L7 = Vector512.ConditionalSelect(mask, b.L7, a.L7),
        L8 = Vector512.ConditionalSelect(mask, b.L8, a.L8),
        L9 = Vector512.ConditionalSelect(mask, b.L9, a.L9),
    };

    /// <summary>acc = b in the lanes where the mask is all ones, in place (no copy of the whole element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SelectInto(ref FeVec acc, in FeVec b, Vector512<ulong> mask)
    {
        acc.L0 = Vector512.ConditionalSelect(mask, b.L0, acc.L0);
        acc.L1 = Vector512.ConditionalSelect(mask, b.L1, acc.L1);
        acc.L2 = Vector512.ConditionalSelect(mask, b.L2, acc.L2);
        acc.L3 = Vector512.ConditionalSelect(mask, b.L3, acc.L3);
        acc.L4 = Vector512.ConditionalSelect(mask, b.L4, acc.L4);
        acc.L5 = Vector512.ConditionalSelect(mask, b.L5, acc.L5);
        acc.L6 = Vector512.ConditionalSelect(mask, b.L6, acc.L6);
        acc.L7 = Vector512.ConditionalSelect(mask, b.L7, acc.L7);
        acc.L8 = Vector512.ConditionalSelect(mask, b.L8, acc.L8);
        acc.L9 = Vector512.ConditionalSelect(mask, b.L9, acc.L9);
    }

    /// <summary>One carry pass over all limbs at once: each limb keeps its width, the excess moves up (the top one to limb 0 times 19).</summary>
    public static FeVec Carry(in FeVec a) => CarryPass(a.L0, a.L1, a.L2, a.L3, a.L4, a.L5, a.L6, a.L7, a.L8, a.L9);

    public static FeVec Mul(in FeVec f, in FeVec g)
    {
        Vector512<ulong> f0 = f.L0, f1 = f.L1, f2 = f.L2, f3 = f.L3, f4 = f.L4, f5 = f.L5, f6 = f.L6, f7 = f.L7, f8 = f.L8, f9 = f.L9;
        Vector512<ulong> g0 = g.L0, g1 = g.L1, g2 = g.L2, g3 = g.L3, g4 = g.L4, g5 = g.L5, g6 = g.L6, g7 = g.L7, g8 = g.L8, g9 = g.L9;

        // Odd limbs sit half a bit low, so a product of two odd ones lands at twice its column's weight.
        Vector512<ulong> f1d = f1 + f1, f3d = f3 + f3, f5d = f5 + f5, f7d = f7 + f7, f9d = f9 + f9;
        var k19 = Vector512.Create(19UL);
        Vector512<ulong> g1n = M(g1, k19), g2n = M(g2, k19), g3n = M(g3, k19), g4n = M(g4, k19), g5n = M(g5, k19);
        Vector512<ulong> g6n = M(g6, k19), g7n = M(g7, k19), g8n = M(g8, k19), g9n = M(g9, k19);
        var h0 = M(f0, g0) + M(f1d, g9n) + M(f2, g8n) + M(f3d, g7n) + M(f4, g6n) + M(f5d, g5n) + M(f6, g4n) + M(f7d, g3n) + M(f8, g2n) + M(f9d, g1n);
        var h1 = M(f0, g1) + M(f1, g0) + M(f2, g9n) + M(f3, g8n) + M(f4, g7n) + M(f5, g6n) + M(f6, g5n) + M(f7, g4n) + M(f8, g3n) + M(f9, g2n);
        var h2 = M(f0, g2) + M(f1d, g1) + M(f2, g0) + M(f3d, g9n) + M(f4, g8n) + M(f5d, g7n) + M(f6, g6n) + M(f7d, g5n) + M(f8, g4n) + M(f9d, g3n);
        var h3 = M(f0, g3) + M(f1, g2) + M(f2, g1) + M(f3, g0) + M(f4, g9n) + M(f5, g8n) + M(f6, g7n) + M(f7, g6n) + M(f8, g5n) + M(f9, g4n);
        var h4 = M(f0, g4) + M(f1d, g3) + M(f2, g2) + M(f3d, g1) + M(f4, g0) + M(f5d, g9n) + M(f6, g8n) + M(f7d, g7n) + M(f8, g6n) + M(f9d, g5n);
        var h5 = M(f0, g5) + M(f1, g4) + M(f2, g3) + M(f3, g2) + M(f4, g1) + M(f5, g0) + M(f6, g9n) + M(f7, g8n) + M(f8, g7n) + M(f9, g6n);
        var h6 = M(f0, g6) + M(f1d, g5) + M(f2, g4) + M(f3d, g3) + M(f4, g2) + M(f5d, g1) + M(f6, g0) + M(f7d, g9n) + M(f8, g8n) + M(f9d, g7n);
        var h7 = M(f0, g7) + M(f1, g6) + M(f2, g5) + M(f3, g4) + M(f4, g3) + M(f5, g2) + M(f6, g1) + M(f7, g0) + M(f8, g9n) + M(f9, g8n);
        var h8 = M(f0, g8) + M(f1d, g7) + M(f2, g6) + M(f3d, g5) + M(f4, g4) + M(f5d, g3) + M(f6, g2) + M(f7d, g1) + M(f8, g0) + M(f9d, g9n);
        var h9 = M(f0, g9) + M(f1, g8) + M(f2, g7) + M(f3, g6) + M(f4, g5) + M(f5, g4) + M(f6, g3) + M(f7, g2) + M(f8, g1) + M(f9, g0);
        var r = CarryPass(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
        return CarryPass(r.L0, r.L1, r.L2, r.L3, r.L4, r.L5, r.L6, r.L7, r.L8, r.L9);
    }

    public static FeVec Square(in FeVec f)
    {
        Vector512<ulong> f0 = f.L0, f1 = f.L1, f2 = f.L2, f3 = f.L3, f4 = f.L4, f5 = f.L5, f6 = f.L6, f7 = f.L7, f8 = f.L8, f9 = f.L9;
        Vector512<ulong> f0d = f0 + f0, f1d = f1 + f1, f2d = f2 + f2, f3d = f3 + f3, f4d = f4 + f4, f5d = f5 + f5, f6d = f6 + f6, f7d = f7 + f7;
        var k19 = Vector512.Create(19UL);
        var k38 = Vector512.Create(38UL);
        Vector512<ulong> f6n = M(f6, k19), f8n = M(f8, k19), f5t = M(f5, k38), f7t = M(f7, k38), f9t = M(f9, k38);
        var h0 = M(f0, f0) + M(f1d, f9t) + M(f2d, f8n) + M(f3d, f7t) + M(f4d, f6n) + M(f5, f5t);
        var h1 = M(f0d, f1) + M(f2, f9t) + M(f3d, f8n) + M(f4, f7t) + M(f5d, f6n);
        var h2 = M(f0d, f2) + M(f1d, f1) + M(f3d, f9t) + M(f4d, f8n) + M(f5d, f7t) + M(f6, f6n);
        var h3 = M(f0d, f3) + M(f1d, f2) + M(f4, f9t) + M(f5d, f8n) + M(f6, f7t);
        var h4 = M(f0d, f4) + M(f1d, f3d) + M(f2, f2) + M(f5d, f9t) + M(f6d, f8n) + M(f7, f7t);
        var h5 = M(f0d, f5) + M(f1d, f4) + M(f2d, f3) + M(f6, f9t) + M(f7d, f8n);
        var h6 = M(f0d, f6) + M(f1d, f5d) + M(f2d, f4) + M(f3d, f3) + M(f7d, f9t) + M(f8, f8n);
        var h7 = M(f0d, f7) + M(f1d, f6) + M(f2d, f5) + M(f3d, f4) + M(f8, f9t);
        var h8 = M(f0d, f8) + M(f1d, f7d) + M(f2d, f6) + M(f3d, f5d) + M(f4, f4) + M(f9, f9t);
        var h9 = M(f0d, f9) + M(f1d, f8) + M(f2d, f7) + M(f3d, f6) + M(f4d, f5);
        var r = CarryPass(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
        return CarryPass(r.L0, r.L1, r.L2, r.L3, r.L4, r.L5, r.L6, r.L7, r.L8, r.L9);
    }

    /// <summary>a^(2^n), n ≥ 1.</summary>
    public static FeVec SquareTimes(in FeVec a, int n)
    {
        var r = Square(a);
        for (var i = 1; i < n; i++)
        {
            r = Square(r);
        }

        return r;
    }

    /// <summary>a^((p − 5)/8) = a^(2^252 − 3) in every lane, by <see cref="Fe.PowP58"/>'s addition chain.</summary>
    public static FeVec PowP58(in FeVec a)
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
        return Mul(SquareTimes(e250, 2), a);
    }

    /// <summary>The low 32 bits of each lane times the low 32 bits of the other, as 64-bit lanes (VPMULUDQ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> M(Vector512<ulong> a, Vector512<ulong> b) =>
        Avx512F.IsSupported ? Avx512F.Multiply(a.AsUInt32(), b.AsUInt32()) : (a & Vector512.Create(0xFFFFFFFFUL)) * (b & Vector512.Create(0xFFFFFFFFUL));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FeVec CarryPass(
        Vector512<ulong> h0, Vector512<ulong> h1, Vector512<ulong> h2, Vector512<ulong> h3, Vector512<ulong> h4,
        Vector512<ulong> h5, Vector512<ulong> h6, Vector512<ulong> h7, Vector512<ulong> h8, Vector512<ulong> h9)
    {
        var m26 = Vector512.Create(M26);
        var m25 = Vector512.Create(M25);
        var c9 = h9 >>> 25;

        // 19·c9 as shifts and adds: c9 can exceed 32 bits.
        return new FeVec
        {
            L0 = (h0 & m26) + (c9 << 4) + (c9 << 1) + c9,
            L1 = (h1 & m25) + (h0 >>> 26),
            L2 = (h2 & m26) + (h1 >>> 25),
            L3 = (h3 & m25) + (h2 >>> 26),
            L4 = (h4 & m26) + (h3 >>> 25),
            L5 = (h5 & m25) + (h4 >>> 26),
            L6 = (h6 & m26) + (h5 >>> 25),
            L7 = (h7 & m25) + (h6 >>> 26),
            L8 = (h8 & m26) + (h7 >>> 25),
            L9 = (h9 & m25) + (h8 >>> 26),
        };
    }
}
