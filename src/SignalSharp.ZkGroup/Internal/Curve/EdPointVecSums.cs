using System.Runtime.Intrinsics;

namespace SignalSharp.ZkGroup.Internal.Curve;

/// <summary>
/// Multiscalar sums over many points in <see cref="FeVec"/> lanes: point i goes to lane i mod 8, each lane keeps its
/// own running sum, and all lanes double together, so a window costs four (eight-lane) doublings and one (eight-lane)
/// addition per eight points. Each lane picks its own table entry with a mask scan over all eight entries, so no
/// branch or address depends on a digit.
/// </summary>
internal static class EdPointVecSums
{
    /// <summary>
    /// The eight lane sums: sums[j] = Σ scalars[i]·points[i] over i ≡ j (mod 8). Points and scalars go eight at a
    /// time (a short last group is padded with the identity and zero). Only the low <paramref name="windows"/>
    /// signed radix-16 digits are used: the caller promises the scalars fit (64 covers every canonical scalar).
    /// </summary>
    public static EdPoint[] LaneSums(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<EdPoint> points, int windows)
    {
        var slots = (points.Length + FeVec.Lanes - 1) / FeVec.Lanes;
        var tables = new CachedVec[slots * 8];

        // digits[(slot·64 + window)·8 + lane]
        var digits = new ulong[slots * 64 * FeVec.Lanes];
        Span<EdPoint> lanes = stackalloc EdPoint[FeVec.Lanes];
        Span<sbyte> d = stackalloc sbyte[64];
        for (var slot = 0; slot < slots; slot++)
        {
            lanes.Fill(EdPoint.Identity);
            for (var j = 0; j < FeVec.Lanes; j++)
            {
                var i = (slot * FeVec.Lanes) + j;
                if (i >= points.Length)
                {
                    break;
                }

                lanes[j] = points[i];
                ScalarMul.Radix16(scalars[i].Bytes, d);
                for (var w = 0; w < 64; w++)
                {
                    digits[(((slot * 64) + w) * FeVec.Lanes) + j] = (ulong)(long)d[w];
                }
            }

            FillMultiples(EdPointVec.Load(lanes), tables.AsSpan(slot * 8, 8));
        }

        var q = EdPointVec.Identity;
        for (var w = windows - 1; w >= 0; w--)
        {
            if (w != windows - 1)
            {
                q = EdPointVec.DoubleTimes(q, 4);
            }

            for (var slot = 0; slot < slots; slot++)
            {
                var digit = Vector512.Create<ulong>(digits.AsSpan(((slot * 64) + w) * FeVec.Lanes, FeVec.Lanes));
                q = EdPointVec.Add(q, Select(tables.AsSpan(slot * 8, 8), digit));
            }
        }

        var sums = new EdPoint[FeVec.Lanes];
        q.Store(sums);
        return sums;
    }

    /// <summary>table[k] = (k + 1)·P for k in 0..7.</summary>
    private static void FillMultiples(in EdPointVec p, Span<CachedVec> table)
    {
        table[0] = p.ToCached();
        var acc = p;
        for (var k = 1; k < 8; k++)
        {
            acc = EdPointVec.Add(acc, table[0]);
            table[k] = acc.ToCached();
        }
    }

    /// <summary>Lane by lane digit·P from table[k] = (k + 1)·P, digits (two's complement in each lane) in [−8, 8].</summary>
    private static CachedVec Select(ReadOnlySpan<CachedVec> table, Vector512<ulong> digit)
    {
        var negative = Vector512.ShiftRightArithmetic(digit.AsInt64(), 63).AsUInt64();
        var abs = (digit ^ negative) - negative;
        var result = CachedVec.Identity;
        for (var k = 0; k < 8; k++)
        {
            result.SelectInto(table[k], Vector512.Equals(abs, Vector512.Create((ulong)k + 1)));
        }

        result.CondNegate(negative);
        return result;
    }
}
