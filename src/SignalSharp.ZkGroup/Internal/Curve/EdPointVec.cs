using System.Runtime.Intrinsics;

namespace SignalSharp.ZkGroup.Internal.Curve;

/// <summary>
/// Eight <see cref="EdPoint"/>s at once in <see cref="FeVec"/> lanes, with the same extended-coordinate formulas, and
/// the constant-time product of one scalar with many points (<see cref="MulMany"/>): every lane follows the same
/// digit sequence, so the table scans and additions are the scalar path's, eight points per instruction.
/// </summary>
internal struct EdPointVec
{
    public FeVec X;
    public FeVec Y;
    public FeVec Z;
    public FeVec T;

    public static EdPointVec Identity => new() { X = FeVec.Zero, Y = FeVec.One, Z = FeVec.One, T = FeVec.Zero };

    /// <summary>Lane j holds points[j].</summary>
    public static EdPointVec Load(ReadOnlySpan<EdPoint> points)
    {
        Span<Fe> c = stackalloc Fe[FeVec.Lanes];
        var r = default(EdPointVec);
        for (var j = 0; j < FeVec.Lanes; j++)
        {
            c[j] = points[j].X;
        }

        r.X = FeVec.Load(c);
        for (var j = 0; j < FeVec.Lanes; j++)
        {
            c[j] = points[j].Y;
        }

        r.Y = FeVec.Load(c);
        for (var j = 0; j < FeVec.Lanes; j++)
        {
            c[j] = points[j].Z;
        }

        r.Z = FeVec.Load(c);
        for (var j = 0; j < FeVec.Lanes; j++)
        {
            c[j] = points[j].T;
        }

        r.T = FeVec.Load(c);
        return r;
    }

    public readonly void Store(Span<EdPoint> points)
    {
        Span<Fe> x = stackalloc Fe[FeVec.Lanes];
        Span<Fe> y = stackalloc Fe[FeVec.Lanes];
        Span<Fe> z = stackalloc Fe[FeVec.Lanes];
        Span<Fe> t = stackalloc Fe[FeVec.Lanes];
        X.Store(x);
        Y.Store(y);
        Z.Store(z);
        T.Store(t);
        for (var j = 0; j < FeVec.Lanes; j++)
        {
            points[j] = new EdPoint(x[j], y[j], z[j], t[j]);
        }
    }

    /// <summary>
    /// s·points[i] for every i, in constant time with respect to s (a secret key may be the scalar): signed radix-16
    /// digits, eight multiples per point, a table scan that reads every entry, as <see cref="ScalarMul.Mul"/>.
    /// </summary>
    public static EdPoint[] MulMany(Scalar s, ReadOnlySpan<EdPoint> points)
    {
        var result = new EdPoint[points.Length];
        Span<sbyte> digits = stackalloc sbyte[64];
        ScalarMul.Radix16(s.Bytes, digits);
        var table = new CachedVec[8];
        Span<EdPoint> lanes = stackalloc EdPoint[FeVec.Lanes];
        for (var start = 0; start < points.Length; start += FeVec.Lanes)
        {
            // A short last batch fills its spare lanes with the identity; their results are dropped.
            var count = Math.Min(FeVec.Lanes, points.Length - start);
            lanes.Fill(EdPoint.Identity);
            points.Slice(start, count).CopyTo(lanes);
            var p = Load(lanes);
            FillMultiples(p, table);
            var q = Identity;
            for (var i = 63; i >= 0; i--)
            {
                if (i != 63)
                {
                    q = DoubleTimes(q, 4);
                }

                q = Add(q, Select(table, digits[i]));
            }

            q.Store(lanes);
            lanes[..count].CopyTo(result.AsSpan(start, count));
        }

        return result;
    }

    public readonly CachedVec ToCached() => new()
    {
        YPlusX = FeVec.Add(Y, X),
        YMinusX = FeVec.Sub(Y, X),
        Z = Z,
        T2d = FeVec.Mul(T, D2.Value),
    };

    public static EdPointVec Add(in EdPointVec p, in CachedVec q)
    {
        var pp = FeVec.Mul(FeVec.Add(p.Y, p.X), q.YPlusX);
        var mm = FeVec.Mul(FeVec.Sub(p.Y, p.X), q.YMinusX);
        var tt = FeVec.Mul(p.T, q.T2d);
        var zz = FeVec.Mul(p.Z, q.Z);
        var zz2 = FeVec.Add(zz, zz);

        // Completed point (pp − mm : zz2 + tt) × (pp + mm : zz2 − tt); zz2 + tt is carried so the products stay in range.
        var cx = FeVec.Sub(pp, mm);
        var cy = FeVec.Add(pp, mm);
        var cz = FeVec.Carry(FeVec.Add(zz2, tt));
        var ct = FeVec.Sub(zz2, tt);
        return new EdPointVec { X = FeVec.Mul(cx, ct), Y = FeVec.Mul(cy, cz), Z = FeVec.Mul(cz, ct), T = FeVec.Mul(cx, cy) };
    }

    /// <summary>2^k·p, keeping the intermediate points projective.</summary>
    public static EdPointVec DoubleTimes(in EdPointVec p, int k)
    {
        var x = p.X;
        var y = p.Y;
        var z = p.Z;
        FeVec cx, cy, cz, ct;
        var i = 0;
        while (true)
        {
            var xx = FeVec.Square(x);
            var yy = FeVec.Square(y);
            var zSq = FeVec.Square(z);
            var zz2 = FeVec.Add(zSq, zSq);
            var xPlusYSq = FeVec.Square(FeVec.Add(x, y));
            cy = FeVec.Add(yy, xx);
            cz = FeVec.Sub(yy, xx);
            cx = FeVec.Sub(xPlusYSq, cy);
            ct = FeVec.Sub(zz2, cz);
            if (++i == k)
            {
                break;
            }

            x = FeVec.Mul(cx, ct);
            y = FeVec.Mul(cy, cz);
            z = FeVec.Mul(cz, ct);
        }

        return new EdPointVec { X = FeVec.Mul(cx, ct), Y = FeVec.Mul(cy, cz), Z = FeVec.Mul(cz, ct), T = FeVec.Mul(cx, cy) };
    }

    private static readonly Lazy<FeVec> D2 = new(() => FeVec.Broadcast(Fe.Constants.D2));

    /// <summary>table[k] = (k + 1)·P for k in 0..7.</summary>
    private static void FillMultiples(in EdPointVec p, CachedVec[] table)
    {
        table[0] = p.ToCached();
        var acc = p;
        for (var k = 1; k < 8; k++)
        {
            acc = Add(acc, table[0]);
            table[k] = acc.ToCached();
        }
    }

    /// <summary>digit·P from table[k] = (k + 1)·P, digit in [−8, 8], reading all eight entries; the digit is secret.</summary>
    private static CachedVec Select(CachedVec[] table, sbyte digit)
    {
        var d = (int)digit;
        var negative = (ulong)((uint)d >> 31);
        var abs = (ulong)(uint)(d ^ -(int)negative) + negative;
        var result = CachedVec.Identity;
        for (var k = 0; k < 8; k++)
        {
            var mask = Vector512.Create(ScalarMul.EqualMask(abs, (ulong)k + 1));
            result.SelectInto(table[k], mask);
        }

        result.CondNegate(Vector512.Create(0 - negative));
        return result;
    }
}

/// <summary>Eight points prepared for addition: (Y + X, Y − X, Z, 2d·T).</summary>
internal struct CachedVec
{
    public FeVec YPlusX;
    public FeVec YMinusX;
    public FeVec Z;
    public FeVec T2d;

    /// <summary>this = other in the lanes where the mask is all ones.</summary>
    public void SelectInto(in CachedVec other, Vector512<ulong> mask)
    {
        FeVec.SelectInto(ref YPlusX, other.YPlusX, mask);
        FeVec.SelectInto(ref YMinusX, other.YMinusX, mask);
        FeVec.SelectInto(ref Z, other.Z, mask);
        FeVec.SelectInto(ref T2d, other.T2d, mask);
    }

    /// <summary>−P in the lanes where the mask is all ones: swap Y + X with Y − X and negate 2d·T.</summary>
    public void CondNegate(Vector512<ulong> mask)
    {
        var plus = YPlusX;
        FeVec.SelectInto(ref YPlusX, YMinusX, mask);
        FeVec.SelectInto(ref YMinusX, plus, mask);
        FeVec.SelectInto(ref T2d, FeVec.Neg(T2d), mask);
    }

    public static CachedVec Identity => new() { YPlusX = FeVec.One, YMinusX = FeVec.One, Z = FeVec.One, T2d = FeVec.Zero };
}
