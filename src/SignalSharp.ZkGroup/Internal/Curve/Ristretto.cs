namespace SignalSharp.ZkGroup.Internal.Curve;

/// <summary>
/// ristretto255 (RFC 9496) over <see cref="EdPoint"/>: encoding, decoding, the Elligator map and equality. All
/// constant-time except that <see cref="TryDecode"/> returns early on an invalid encoding, which is public input.
/// </summary>
internal static class Ristretto
{
    /// <summary>RFC 9496 §4.3.2 ENCODE.</summary>
    public static void Encode(in EdPoint p, Span<byte> output)
    {
        var u1 = Fe.Mul(Fe.Add(p.Z, p.Y), Fe.Sub(p.Z, p.Y));
        var u2 = Fe.Mul(p.X, p.Y);
        Fe.SqrtRatioM1(Fe.One, Fe.Mul(u1, Fe.Square(u2)), out var invSqrt);
        var den1 = Fe.Mul(invSqrt, u1);
        var den2 = Fe.Mul(invSqrt, u2);
        var zInv = Fe.Mul(Fe.Mul(den1, den2), p.T);
        Finish(p, den1, den2, zInv, output);
    }

    /// <summary>
    /// The encodings of 2·P for each P (what the endorsement proof hashes and sorts by), with one field inversion for
    /// all of them instead of an inverse square root each. With A = 2XY, B = Y² − X², C = Y² + X², D = 2Z² − B
    /// (the doubling's completed point: 2P = (A·D : C·B : B·D : A·C)), ENCODE's u1 = Z² − Y² and u2 = X·Y of 2P
    /// are (a − d)·A²·B² and A·B·C·D (the curve equation turns (Z² − Y²)(Z² + X²) of P into (a − d)·X²·Y²), so
    /// u1·u2² is the square of √(a − d)·A²·B²·C·D and its inverse square root is 1/(√(a − d)·A²·B²·C·D). ENCODE does
    /// not depend on the root's sign, and a zero product (A or C zero) gives zero as SQRT_RATIO_M1 does.
    /// </summary>
    public static byte[][] DoubleAndEncodeBatch(ReadOnlySpan<EdPoint> points)
    {
        var doubled = new EdPoint[points.Length];
        var inv = new Fe[points.Length];
        for (var i = 0; i < points.Length; i++)
        {
            var c = EdPoint.CompletedDouble(points[i].X, points[i].Y, points[i].Z);

            // Completed's (X, Y, Z, T) are (A, C, B, D).
            doubled[i] = c.ToExtended();
            inv[i] = Fe.Mul(Fe.Square(Fe.Mul(c.X, c.Z)), Fe.Mul(c.Y, c.T));
        }

        Fe.BatchInvert(inv);
        var result = new byte[points.Length][];
        for (var i = 0; i < points.Length; i++)
        {
            var q = doubled[i];
            var invSqrt = Fe.Mul(inv[i], Fe.Constants.InvSqrtAMinusD);
            var den1 = Fe.Mul(invSqrt, Fe.Mul(Fe.Add(q.Z, q.Y), Fe.Sub(q.Z, q.Y)));
            var den2 = Fe.Mul(invSqrt, Fe.Mul(q.X, q.Y));
            var zInv = Fe.Mul(Fe.Mul(den1, den2), q.T);
            result[i] = new byte[32];
            Finish(q, den1, den2, zInv, result[i]);
        }

        return result;
    }

    /// <summary>RFC 9496 §4.3.1 DECODE; false for a non-canonical or invalid encoding.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoding, out EdPoint point)
    {
        point = EdPoint.Identity;
        if (!DecodeStart(encoding, out var s, out var u1, out var u2, out var v, out var v2))
        {
            return false;
        }

        var wasSquare = Fe.SqrtRatioM1(Fe.One, v2, out var invSqrt);
        return DecodeEnd(s, u1, u2, v, wasSquare, invSqrt, out point);
    }

    /// <summary>
    /// <see cref="TryDecode"/> for many encodings, their inverse square roots eight at a time (<see cref="Fe.SqrtRatioM1Many"/>);
    /// valid[i] is false (and points[i] the identity) for an invalid one.
    /// </summary>
    public static void DecodeMany(ReadOnlySpan<byte[]> encodings, Span<EdPoint> points, Span<bool> valid)
    {
        var n = encodings.Length;
        var s = new Fe[n];
        var u1 = new Fe[n];
        var u2 = new Fe[n];
        var v = new Fe[n];
        var v2 = new Fe[n];
        var ones = new Fe[n];
        var roots = new Fe[n];
        var squares = new ulong[n];
        ones.AsSpan().Fill(Fe.One);
        for (var i = 0; i < n; i++)
        {
            // An invalid encoding still goes through the root (of one) so the batch keeps its shape.
            valid[i] = DecodeStart(encodings[i], out s[i], out u1[i], out u2[i], out v[i], out v2[i]);
            if (!valid[i])
            {
                v2[i] = Fe.One;
            }
        }

        Fe.SqrtRatioM1Many(ones, v2, roots, squares);
        for (var i = 0; i < n; i++)
        {
            points[i] = EdPoint.Identity;
            valid[i] = valid[i] && DecodeEnd(s[i], u1[i], u2[i], v[i], squares[i], roots[i], out points[i]);
        }
    }

    /// <summary>RFC 9496 §4.3.4 MAP of 32 bytes (top bit ignored, value taken mod p), as dalek's single Elligator map.</summary>
    public static EdPoint Map(ReadOnlySpan<byte> t32)
    {
        MapStart(t32, out var t, out var r, out var u, out var v);
        var wasSquare = Fe.SqrtRatioM1(u, v, out var s);
        return MapEnd(t, r, v, wasSquare, s);
    }

    /// <summary>dalek's <c>from_uniform_bytes</c> (RFC 9496's one-way map): MAP of each half, added.</summary>
    public static EdPoint FromUniformBytes(ReadOnlySpan<byte> h64) => EdPoint.Add(Map(h64[..32]), Map(h64[32..64]));

    /// <summary>
    /// <see cref="FromUniformBytes"/> of each 64-byte block of <paramref name="h"/>, the square roots of all the
    /// Elligator maps eight at a time (<see cref="Fe.SqrtRatioM1Many"/>).
    /// </summary>
    public static EdPoint[] FromUniformBytesMany(ReadOnlySpan<byte> h)
    {
        var maps = MapMany(h);
        var result = new EdPoint[maps.Length / 2];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = EdPoint.Add(maps[2 * i], maps[(2 * i) + 1]);
        }

        return result;
    }

    /// <summary><see cref="Map"/> of each 32-byte block of <paramref name="t"/>, the square roots eight at a time.</summary>
    public static EdPoint[] MapMany(ReadOnlySpan<byte> t)
    {
        var n = t.Length / 32;
        var tt = new Fe[n];
        var r = new Fe[n];
        var u = new Fe[n];
        var v = new Fe[n];
        var s = new Fe[n];
        var squares = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            MapStart(t.Slice(32 * i, 32), out tt[i], out r[i], out u[i], out v[i]);
        }

        Fe.SqrtRatioM1Many(u, v, s, squares);
        var result = new EdPoint[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = MapEnd(tt[i], r[i], v[i], squares[i], s[i]);
        }

        return result;
    }

    /// <summary>DECODE up to its square root: false for a non-canonical or negative s; the root to take is of 1/v2.</summary>
    private static bool DecodeStart(ReadOnlySpan<byte> encoding, out Fe s, out Fe u1, out Fe u2, out Fe v, out Fe v2)
    {
        if (encoding.Length != 32)
        {
            s = u1 = u2 = v = v2 = Fe.One;
            return false;
        }

        s = Fe.FromBytes(encoding);
        Span<byte> canonical = stackalloc byte[32];
        s.ToBytes(canonical);
        var ss = Fe.Square(s);
        u1 = Fe.Sub(Fe.One, ss);
        u2 = Fe.Add(Fe.One, ss);
        var u2Sqr = Fe.Square(u2);
        v = Fe.Sub(Fe.Neg(Fe.Mul(Fe.Constants.D, Fe.Square(u1))), u2Sqr);
        v2 = Fe.Mul(v, u2Sqr);
        return canonical.SequenceEqual(encoding) && !s.IsNegative;
    }

    private static bool DecodeEnd(in Fe s, in Fe u1, in Fe u2, in Fe v, ulong wasSquare, in Fe invSqrt, out EdPoint point)
    {
        point = EdPoint.Identity;
        var denX = Fe.Mul(invSqrt, u2);
        var denY = Fe.Mul(Fe.Mul(invSqrt, denX), v);
        var x = Fe.Abs(Fe.Mul(Fe.Add(s, s), denX));
        var y = Fe.Mul(u1, denY);
        var t = Fe.Mul(x, y);
        if (wasSquare == 0 || t.IsNegative || Fe.IsZeroMask(y) != 0)
        {
            return false;
        }

        point = new EdPoint(x, y, Fe.One, t);
        return true;
    }

    private static void MapStart(ReadOnlySpan<byte> t32, out Fe t, out Fe r, out Fe u, out Fe v)
    {
        t = Fe.FromBytes(t32);
        var d = Fe.Constants.D;
        r = Fe.Mul(Fe.Constants.SqrtM1, Fe.Square(t));
        u = Fe.Mul(Fe.Add(r, Fe.One), Fe.Constants.OneMinusDSq);
        v = Fe.Mul(Fe.Sub(Fe.Neg(Fe.One), Fe.Mul(r, d)), Fe.Add(r, d));
    }

    private static EdPoint MapEnd(in Fe t, in Fe r, in Fe v, ulong wasSquare, Fe s)
    {
        var sPrime = Fe.Neg(Fe.Abs(Fe.Mul(s, t)));
        s = Fe.Select(sPrime, s, wasSquare);
        var c = Fe.Select(r, Fe.Neg(Fe.One), wasSquare);
        var bigN = Fe.Sub(Fe.Mul(Fe.Mul(c, Fe.Sub(r, Fe.One)), Fe.Constants.DMinusOneSq), v);
        var w0 = Fe.Mul(Fe.Add(s, s), v);
        var w1 = Fe.Mul(bigN, Fe.Constants.SqrtAdMinusOne);
        var ss = Fe.Square(s);
        var w2 = Fe.Sub(Fe.One, ss);
        var w3 = Fe.Add(Fe.One, ss);
        return new EdPoint(Fe.Mul(w0, w3), Fe.Mul(w2, w1), Fe.Mul(w1, w3), Fe.Mul(w0, w2));
    }

    /// <summary>RFC 9496 §4.5 equality: all ones when both represent the same group element; constant-time.</summary>
    public static ulong EqMask(in EdPoint p, in EdPoint q)
    {
        var a = Fe.EqMask(Fe.Mul(p.X, q.Y), Fe.Mul(p.Y, q.X));
        var b = Fe.EqMask(Fe.Mul(p.Y, q.Y), Fe.Mul(p.X, q.X));
        return a | b;
    }

    private static void Finish(in EdPoint p, in Fe den1, in Fe den2, in Fe zInv, Span<byte> output)
    {
        var ix = Fe.Mul(p.X, Fe.Constants.SqrtM1);
        var iy = Fe.Mul(p.Y, Fe.Constants.SqrtM1);
        var enchanted = Fe.Mul(den1, Fe.Constants.InvSqrtAMinusD);
        var rotate = 0 - Fe.Mul(p.T, zInv).IsNegativeBit();
        var x = Fe.Select(p.X, iy, rotate);
        var y = Fe.Select(p.Y, ix, rotate);
        var denInv = Fe.Select(den2, enchanted, rotate);
        y = Fe.CondNegate(y, 0 - Fe.Mul(x, zInv).IsNegativeBit());
        var s = Fe.Abs(Fe.Mul(denInv, Fe.Sub(p.Z, y)));
        s.ToBytes(output);
    }
}
