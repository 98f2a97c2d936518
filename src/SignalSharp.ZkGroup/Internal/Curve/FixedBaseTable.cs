namespace SignalSharp.ZkGroup.Internal.Curve;

/// <summary>
/// Precomputed multiples of one fixed generator for constant-time s·P: entry [i][k] = (k + 1)·256^i·P in affine
/// form, 32 × 8 of them (about 30 KB). With signed radix-16 digits d_0..d_63 of s,
/// s·P = 16·Σ_i d_(2i+1)·256^i·P + Σ_i d_(2i)·256^i·P, which costs 64 table additions and 4 doublings instead of
/// 252 doublings and 64 additions. Built once per generator (the system's generators are constants).
/// </summary>
internal sealed class FixedBaseTable
{
    private readonly AffineCached[] entries;

    public FixedBaseTable(in EdPoint p)
    {
        var points = new EdPoint[32 * 8];
        var baseI = p;
        for (var i = 0; i < 32; i++)
        {
            var cached = baseI.ToCached();
            var acc = baseI;
            points[i * 8] = acc;
            for (var k = 1; k < 8; k++)
            {
                acc = EdPoint.Add(acc, cached);
                points[(i * 8) + k] = acc;
            }

            baseI = EdPoint.DoubleTimes(baseI, 8);
        }

        entries = AffineCached.FromPoints(points);
    }

    /// <summary>s·P for a 32-byte canonical scalar, in constant time.</summary>
    public EdPoint Mul(ReadOnlySpan<byte> scalar)
    {
        Span<sbyte> digits = stackalloc sbyte[64];
        ScalarMul.Radix16(scalar, digits);
        var q = EdPoint.Identity;
        for (var i = 1; i < 64; i += 2)
        {
            q = EdPoint.AddAffine(q, Select(i / 2, digits[i]));
        }

        q = EdPoint.DoubleTimes(q, 4);
        for (var i = 0; i < 64; i += 2)
        {
            q = EdPoint.AddAffine(q, Select(i / 2, digits[i]));
        }

        return q;
    }

    /// <summary>digit·256^row·P, reading all eight entries of the row.</summary>
    private AffineCached Select(int row, sbyte digit)
    {
        var d = (int)digit;
        var negative = (ulong)((uint)d >> 31);
        var abs = (ulong)(uint)(d ^ -(int)negative) + negative;
        var result = AffineCached.Identity;
        var rowEntries = entries.AsSpan(row * 8, 8);
        for (var k = 0; k < 8; k++)
        {
            result.Assign(rowEntries[k], ScalarMul.EqualMask(abs, (ulong)k + 1));
        }

        result.CondNegate(0 - negative);
        return result;
    }
}
