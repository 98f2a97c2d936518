using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace SignalSharp.ZkGroup.Internal.Curve;

/// <summary>
/// <see cref="Fe"/>'s multiplier: 5×5 limb products with 64×64→128-bit multiplies, reduced with 2^255 ≡ 19. Each
/// column is summed as two 64-bit halves (the products' low 51 bits and the rest) and carried into the next at
/// once, which keeps few values live (the JIT spills otherwise). With BMI2 the high half of a product comes from
/// MULX and the low half from a plain multiply, both in registers; the portable path uses Math.BigMul. Constant-time:
/// no branch depends on the operands (the BMI2 test is fixed when the method is compiled).
/// </summary>
internal static class FieldMultiplier
{
    public static Fe Mul(in Fe a, in Fe b)
    {
        if (!Bmi2.X64.IsSupported)
        {
            return MulPortable(a, b);
        }

        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4;
        ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3, b4 = b.L4;
        ulong b1x = b1 * 19, b2x = b2 * 19, b3x = b3 * 19, b4x = b4 * 19;

        // MulAdd written out (the JIT spills the by-ref accumulators otherwise): column by column, the high half
        // from MULX and the low half from a plain multiply.
        ulong lo = 0, hi = 0, h, l, carry;
        h = Bmi2.X64.MultiplyNoFlags(a0, b0);
        l = a0 * b0;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a4, b1x);
        l = a4 * b1x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a3, b2x);
        l = a3 * b2x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a2, b3x);
        l = a2 * b3x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a1, b4x);
        l = a1 * b4x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        var r0 = lo & Fe.Mask;
        carry = hi + (lo >> 51);
        lo = carry & Fe.Mask;
        hi = carry >> 51;
        h = Bmi2.X64.MultiplyNoFlags(a1, b0);
        l = a1 * b0;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a0, b1);
        l = a0 * b1;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a4, b2x);
        l = a4 * b2x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a3, b3x);
        l = a3 * b3x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a2, b4x);
        l = a2 * b4x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        var r1 = lo & Fe.Mask;
        carry = hi + (lo >> 51);
        lo = carry & Fe.Mask;
        hi = carry >> 51;
        h = Bmi2.X64.MultiplyNoFlags(a2, b0);
        l = a2 * b0;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a1, b1);
        l = a1 * b1;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a0, b2);
        l = a0 * b2;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a4, b3x);
        l = a4 * b3x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a3, b4x);
        l = a3 * b4x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        var r2 = lo & Fe.Mask;
        carry = hi + (lo >> 51);
        lo = carry & Fe.Mask;
        hi = carry >> 51;
        h = Bmi2.X64.MultiplyNoFlags(a3, b0);
        l = a3 * b0;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a2, b1);
        l = a2 * b1;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a1, b2);
        l = a1 * b2;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a0, b3);
        l = a0 * b3;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a4, b4x);
        l = a4 * b4x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        var r3 = lo & Fe.Mask;
        carry = hi + (lo >> 51);
        lo = carry & Fe.Mask;
        hi = carry >> 51;
        h = Bmi2.X64.MultiplyNoFlags(a4, b0);
        l = a4 * b0;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a3, b1);
        l = a3 * b1;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a2, b2);
        l = a2 * b2;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a1, b3);
        l = a1 * b3;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a0, b4);
        l = a0 * b4;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        return Wrap(r0, r1, r2, r3, lo, hi);
    }

    internal static Fe MulPortable(in Fe a, in Fe b)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4;
        ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3, b4 = b.L4;

        // Column by column, carrying into the next at once, so few values are live at a time (the JIT spills
        // otherwise). 2^255 ≡ 19: products landing at 2^(51·k) with k ≥ 5 wrap around times 19.
        ulong lo = 0, hi = 0;
        MulAdd(a0, b0, ref lo, ref hi);
        MulAdd(a4, b1 * 19, ref lo, ref hi);
        MulAdd(a3, b2 * 19, ref lo, ref hi);
        MulAdd(a2, b3 * 19, ref lo, ref hi);
        MulAdd(a1, b4 * 19, ref lo, ref hi);
        var r0 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a1, b0, ref lo, ref hi);
        MulAdd(a0, b1, ref lo, ref hi);
        MulAdd(a4, b2 * 19, ref lo, ref hi);
        MulAdd(a3, b3 * 19, ref lo, ref hi);
        MulAdd(a2, b4 * 19, ref lo, ref hi);
        var r1 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a2, b0, ref lo, ref hi);
        MulAdd(a1, b1, ref lo, ref hi);
        MulAdd(a0, b2, ref lo, ref hi);
        MulAdd(a4, b3 * 19, ref lo, ref hi);
        MulAdd(a3, b4 * 19, ref lo, ref hi);
        var r2 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a3, b0, ref lo, ref hi);
        MulAdd(a2, b1, ref lo, ref hi);
        MulAdd(a1, b2, ref lo, ref hi);
        MulAdd(a0, b3, ref lo, ref hi);
        MulAdd(a4, b4 * 19, ref lo, ref hi);
        var r3 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a4, b0, ref lo, ref hi);
        MulAdd(a3, b1, ref lo, ref hi);
        MulAdd(a2, b2, ref lo, ref hi);
        MulAdd(a1, b3, ref lo, ref hi);
        MulAdd(a0, b4, ref lo, ref hi);
        return Wrap(r0, r1, r2, r3, lo, hi);
    }

    public static Fe Square(in Fe a)
    {
        if (!Bmi2.X64.IsSupported)
        {
            return SquarePortable(a);
        }

        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4;
        ulong a0d = a0 * 2, a1d = a1 * 2, a3x = a3 * 19, a4x = a4 * 19, a3xd = a3 * 38, a4xd = a4 * 38;
        ulong lo = 0, hi = 0, h, l, carry;
        h = Bmi2.X64.MultiplyNoFlags(a0, a0);
        l = a0 * a0;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a1d, a4x);
        l = a1d * a4x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a2, a3xd);
        l = a2 * a3xd;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        var r0 = lo & Fe.Mask;
        carry = hi + (lo >> 51);
        lo = carry & Fe.Mask;
        hi = carry >> 51;
        h = Bmi2.X64.MultiplyNoFlags(a0d, a1);
        l = a0d * a1;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a2, a4xd);
        l = a2 * a4xd;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a3, a3x);
        l = a3 * a3x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        var r1 = lo & Fe.Mask;
        carry = hi + (lo >> 51);
        lo = carry & Fe.Mask;
        hi = carry >> 51;
        h = Bmi2.X64.MultiplyNoFlags(a0d, a2);
        l = a0d * a2;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a1, a1);
        l = a1 * a1;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a3, a4xd);
        l = a3 * a4xd;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        var r2 = lo & Fe.Mask;
        carry = hi + (lo >> 51);
        lo = carry & Fe.Mask;
        hi = carry >> 51;
        h = Bmi2.X64.MultiplyNoFlags(a0d, a3);
        l = a0d * a3;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a1d, a2);
        l = a1d * a2;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a4, a4x);
        l = a4 * a4x;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        var r3 = lo & Fe.Mask;
        carry = hi + (lo >> 51);
        lo = carry & Fe.Mask;
        hi = carry >> 51;
        h = Bmi2.X64.MultiplyNoFlags(a0d, a4);
        l = a0d * a4;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a1d, a3);
        l = a1d * a3;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        h = Bmi2.X64.MultiplyNoFlags(a2, a2);
        l = a2 * a2;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
        return Wrap(r0, r1, r2, r3, lo, hi);
    }

    internal static Fe SquarePortable(in Fe a)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4;
        ulong lo = 0, hi = 0;
        MulAdd(a0, a0, ref lo, ref hi);
        MulAdd(a1 * 2, a4 * 19, ref lo, ref hi);
        MulAdd(a2, a3 * 38, ref lo, ref hi);
        var r0 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a0 * 2, a1, ref lo, ref hi);
        MulAdd(a2, a4 * 38, ref lo, ref hi);
        MulAdd(a3, a3 * 19, ref lo, ref hi);
        var r1 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a0 * 2, a2, ref lo, ref hi);
        MulAdd(a1, a1, ref lo, ref hi);
        MulAdd(a3, a4 * 38, ref lo, ref hi);
        var r2 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a0 * 2, a3, ref lo, ref hi);
        MulAdd(a1 * 2, a2, ref lo, ref hi);
        MulAdd(a4, a4 * 19, ref lo, ref hi);
        var r3 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a0 * 2, a4, ref lo, ref hi);
        MulAdd(a1 * 2, a3, ref lo, ref hi);
        MulAdd(a2, a2, ref lo, ref hi);
        return Wrap(r0, r1, r2, r3, lo, hi);
    }

    public static Fe MulSmall(in Fe a, ulong k)
    {
        ulong lo = 0, hi = 0;
        MulAdd(a.L0, k, ref lo, ref hi);
        var r0 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a.L1, k, ref lo, ref hi);
        var r1 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a.L2, k, ref lo, ref hi);
        var r2 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a.L3, k, ref lo, ref hi);
        var r3 = lo & Fe.Mask;
        NextColumn(ref lo, ref hi);
        MulAdd(a.L4, k, ref lo, ref hi);
        return Wrap(r0, r1, r2, r3, lo, hi);
    }

    /// <summary>
    /// Adds a·b into a column as two 64-bit sums, the product's low 51 bits and the rest (its weight 2^51 belongs to
    /// the next column), so no 128-bit addition with carries is needed: five products of limbs below 2^54 (one
    /// side times 19) keep both sums below 2^64. The high half comes from MULX and the low half from a plain
    /// multiply, which keeps both in registers (Math.BigMul's out parameter goes through memory).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulAdd(ulong a, ulong b, ref ulong lo, ref ulong hi)
    {
        var h = Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _);
        var l = a * b;
        lo += l & Fe.Mask;
        hi += (h << 13) | (l >> 51);
    }

    /// <summary>Starts the next column with this one's carry: everything above its low 51 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NextColumn(ref ulong lo, ref ulong hi)
    {
        var carry = hi + (lo >> 51);
        lo = carry & Fe.Mask;
        hi = carry >> 51;
    }

    /// <summary>Closes the last column: its carry (weight 2^255) wraps to limb 0 times 19.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fe Wrap(ulong r0, ulong r1, ulong r2, ulong r3, ulong lo, ulong hi)
    {
        r0 += (hi + (lo >> 51)) * 19;
        return new Fe(r0 & Fe.Mask, r1 + (r0 >> 51), r2, r3, lo & Fe.Mask);
    }
}
