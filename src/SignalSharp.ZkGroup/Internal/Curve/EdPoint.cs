using System.Runtime.CompilerServices;

namespace SignalSharp.ZkGroup.Internal.Curve;

/// <summary>
/// A point of the twisted Edwards curve −x² + y² = 1 + d·x²·y² in extended coordinates (X : Y : Z : T), x = X/Z,
/// y = Y/Z, x·y = T/Z. The formulas are the a = −1 ones of Hisil–Wong–Carter–Dawson ("Twisted Edwards curves
/// revisited"): complete, branch-free, so every operation here is constant-time.
/// </summary>
internal struct EdPoint
{
    public Fe X;
    public Fe Y;
    public Fe Z;
    public Fe T;

    public EdPoint(in Fe x, in Fe y, in Fe z, in Fe t)
    {
        X = x;
        Y = y;
        Z = z;
        T = t;
    }

    public static EdPoint Identity => new(Fe.Zero, Fe.One, Fe.One, Fe.Zero);

    public readonly CachedPoint ToCached() => new(Fe.Add(Y, X), Fe.Sub(Y, X), Z, Fe.Mul(T, Fe.Constants.D2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdPoint Add(in EdPoint p, in CachedPoint q) => CompletedAdd(p, q).ToExtended();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdPoint Sub(in EdPoint p, in CachedPoint q) => CompletedSub(p, q).ToExtended();

    public static EdPoint Add(in EdPoint p, in EdPoint q) => Add(p, q.ToCached());

    public static EdPoint Sub(in EdPoint p, in EdPoint q) => Sub(p, q.ToCached());

    public static EdPoint Neg(in EdPoint p) => new(Fe.Neg(p.X), p.Y, p.Z, Fe.Neg(p.T));

    public static EdPoint Double(in EdPoint p) => CompletedDouble(p.X, p.Y, p.Z).ToExtended();

    /// <summary>2^k·p, keeping the intermediate points projective (T is only needed before an addition).</summary>
    public static EdPoint DoubleTimes(in EdPoint p, int k)
    {
        var c = CompletedDouble(p.X, p.Y, p.Z);
        for (var i = 1; i < k; i++)
        {
            c.ToProjective(out var x, out var y, out var z);
            c = CompletedDouble(x, y, z);
        }

        return c.ToExtended();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Completed CompletedAdd(in EdPoint p, in CachedPoint q)
    {
        var pp = Fe.Mul(Fe.Add(p.Y, p.X), q.YPlusX);
        var mm = Fe.Mul(Fe.Sub(p.Y, p.X), q.YMinusX);
        var tt = Fe.Mul(p.T, q.T2d);
        var zz = Fe.Mul(p.Z, q.Z);
        var zz2 = Fe.Add(zz, zz);
        return new Completed(Fe.Sub(pp, mm), Fe.Add(pp, mm), Fe.Add(zz2, tt), Fe.Sub(zz2, tt));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Completed CompletedSub(in EdPoint p, in CachedPoint q)
    {
        var pm = Fe.Mul(Fe.Add(p.Y, p.X), q.YMinusX);
        var mp = Fe.Mul(Fe.Sub(p.Y, p.X), q.YPlusX);
        var tt = Fe.Mul(p.T, q.T2d);
        var zz = Fe.Mul(p.Z, q.Z);
        var zz2 = Fe.Add(zz, zz);
        return new Completed(Fe.Sub(pm, mp), Fe.Add(pm, mp), Fe.Sub(zz2, tt), Fe.Add(zz2, tt));
    }

    /// <summary>Adds an affine point (Z = 1), which saves the Z multiplication.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdPoint AddAffine(in EdPoint p, in AffineCached q)
    {
        var pp = Fe.Mul(Fe.Add(p.Y, p.X), q.YPlusX);
        var mm = Fe.Mul(Fe.Sub(p.Y, p.X), q.YMinusX);
        var tt = Fe.Mul(p.T, q.XY2d);
        var zz2 = Fe.Add(p.Z, p.Z);
        return new Completed(Fe.Sub(pp, mm), Fe.Add(pp, mm), Fe.Add(zz2, tt), Fe.Sub(zz2, tt)).ToExtended();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdPoint SubAffine(in EdPoint p, in AffineCached q)
    {
        var pm = Fe.Mul(Fe.Add(p.Y, p.X), q.YMinusX);
        var mp = Fe.Mul(Fe.Sub(p.Y, p.X), q.YPlusX);
        var tt = Fe.Mul(p.T, q.XY2d);
        var zz2 = Fe.Add(p.Z, p.Z);
        return new Completed(Fe.Sub(pm, mp), Fe.Add(pm, mp), Fe.Sub(zz2, tt), Fe.Add(zz2, tt)).ToExtended();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Completed CompletedDouble(in Fe x, in Fe y, in Fe z)
    {
        var xx = Fe.Square(x);
        var yy = Fe.Square(y);
        var zz2 = Fe.Square2(z);
        var xPlusYSq = Fe.Square(Fe.Add(x, y));
        var yyPlusXx = Fe.Add(yy, xx);
        var yyMinusXx = Fe.Sub(yy, xx);
        return new Completed(Fe.Sub(xPlusYSq, yyPlusXx), yyPlusXx, yyMinusXx, Fe.Sub(zz2, yyMinusXx));
    }

    /// <summary>A point in P¹ × P¹ form ((X : Z), (Y : T)), the direct output of the addition and doubling formulas.</summary>
    internal readonly struct Completed(Fe x, Fe y, Fe z, Fe t)
    {
        public readonly Fe X = x;
        public readonly Fe Y = y;
        public readonly Fe Z = z;
        public readonly Fe T = t;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public EdPoint ToExtended() => new(Fe.Mul(X, T), Fe.Mul(Y, Z), Fe.Mul(Z, T), Fe.Mul(X, Y));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ToProjective(out Fe x, out Fe y, out Fe z)
        {
            x = Fe.Mul(X, T);
            y = Fe.Mul(Y, Z);
            z = Fe.Mul(Z, T);
        }
    }
}

/// <summary>A point prepared for addition: (Y + X, Y − X, Z, 2d·T).</summary>
internal struct CachedPoint
{
    public Fe YPlusX;
    public Fe YMinusX;
    public Fe Z;
    public Fe T2d;

    public CachedPoint(in Fe yPlusX, in Fe yMinusX, in Fe z, in Fe t2d)
    {
        YPlusX = yPlusX;
        YMinusX = yMinusX;
        Z = z;
        T2d = t2d;
    }

    public static CachedPoint Identity => new(Fe.One, Fe.One, Fe.One, Fe.Zero);

    /// <summary>Overwrites this with <paramref name="other"/> where the mask is all ones; constant-time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Assign(in CachedPoint other, ulong mask)
    {
        YPlusX = Fe.Select(YPlusX, other.YPlusX, mask);
        YMinusX = Fe.Select(YMinusX, other.YMinusX, mask);
        Z = Fe.Select(Z, other.Z, mask);
        T2d = Fe.Select(T2d, other.T2d, mask);
    }

    /// <summary>−P where the mask is all ones: swap Y + X with Y − X and negate 2d·T.</summary>
    public void CondNegate(ulong mask)
    {
        var plus = YPlusX;
        YPlusX = Fe.Select(YPlusX, YMinusX, mask);
        YMinusX = Fe.Select(YMinusX, plus, mask);
        T2d = Fe.CondNegate(T2d, mask);
    }
}

/// <summary>An affine point prepared for addition: (y + x, y − x, 2d·x·y); precomputed tables hold these.</summary>
internal struct AffineCached
{
    public Fe YPlusX;
    public Fe YMinusX;
    public Fe XY2d;

    public AffineCached(in Fe yPlusX, in Fe yMinusX, in Fe xy2d)
    {
        YPlusX = yPlusX;
        YMinusX = yMinusX;
        XY2d = xy2d;
    }

    public static AffineCached Identity => new(Fe.One, Fe.One, Fe.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Assign(in AffineCached other, ulong mask)
    {
        YPlusX = Fe.Select(YPlusX, other.YPlusX, mask);
        YMinusX = Fe.Select(YMinusX, other.YMinusX, mask);
        XY2d = Fe.Select(XY2d, other.XY2d, mask);
    }

    public void CondNegate(ulong mask)
    {
        var plus = YPlusX;
        YPlusX = Fe.Select(YPlusX, YMinusX, mask);
        YMinusX = Fe.Select(YMinusX, plus, mask);
        XY2d = Fe.CondNegate(XY2d, mask);
    }

    /// <summary>Normalizes many points to affine form with one shared inversion.</summary>
    public static AffineCached[] FromPoints(ReadOnlySpan<EdPoint> points)
    {
        var zInv = new Fe[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            zInv[i] = points[i].Z;
        }

        Fe.BatchInvert(zInv);
        var result = new AffineCached[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            var x = Fe.Mul(points[i].X, zInv[i]);
            var y = Fe.Mul(points[i].Y, zInv[i]);
            result[i] = new AffineCached(Fe.Add(y, x), Fe.Sub(y, x), Fe.Mul(Fe.Mul(x, y), Fe.Constants.D2));
        }

        return result;
    }
}
