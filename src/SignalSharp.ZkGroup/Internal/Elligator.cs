using SignalSharp.ZkGroup.Internal.Curve;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// The inverse of ristretto255's Elligator map (the Lizard paper's construction, as curve25519-dalek computes it):
/// every field element that the single map sends to a given point, from the point's extended coordinates.
/// </summary>
internal static class Elligator
{
    /// <summary>
    /// Sixteen slots: the eight non-negative preimages (one per Jacobi quartic point and its dual) then their
    /// negations; null where no preimage exists.
    /// </summary>
    public static byte[]?[] InverseCandidates(RistrettoPoint point)
    {
        // Any representative of the point will do: the four quartic points below cover its whole coset.
        var ed = point.Point;
        var (x, y, z) = (new FieldElement(ed.X), new FieldElement(ed.Y), new FieldElement(ed.Z));
        var quartic = ToJacobiQuartic(x, y, z);
        // The eight (±s, ±t) pairs; their inverse square roots, nearly all of the work, are computed together.
        var pairs = new (FieldElement S, FieldElement T)[8];
        for (var k = 0; k < 4; k++)
        {
            var (s, t) = quartic[k];
            pairs[2 * k] = (s, t);
            pairs[(2 * k) + 1] = (-s, -t);
        }

        var ones = new Fe[8];
        var radicands = new Fe[8];
        var roots = new Fe[8];
        var squares = new ulong[8];
        ones.AsSpan().Fill(Fe.One);
        for (var i = 0; i < 8; i++)
        {
            radicands[i] = InverseRadicand(pairs[i].S, pairs[i].T).Value;
        }

        Fe.SqrtRatioM1Many(ones, radicands, roots, squares);
        var result = new byte[]?[16];
        for (var i = 0; i < 8; i++)
        {
            var (v, defined) = InversePositive(pairs[i].S, pairs[i].T, squares[i] != 0, new FieldElement(roots[i]));
            result[i] = defined ? v.ToBytes() : null;
            result[8 + i] = defined ? (-v).ToBytes() : null;
        }

        return result;
    }

    /// <summary>One Jacobi quartic point for each of the four even Edwards representatives of the ristretto point.</summary>
    private static (FieldElement S, FieldElement T)[] ToJacobiQuartic(FieldElement x, FieldElement y, FieldElement z)
    {
        var x2 = x.Square();
        var y2 = y.Square();
        var y4 = y2.Square();
        var z2 = z.Square();
        var zMinusY = z - y;
        var zPlusY = z + y;
        var z2MinusY2 = z2 - y2;
        var (_, gamma) = FieldElement.InvSqrt(y4 * x2 * z2MinusY2);

        var den = gamma * y2;
        var sOverX = den * zMinusY;
        var spOverXp = den * zPlusY;
        var s0 = sOverX * x;
        var s1 = -spOverXp * x;
        var tmp = FieldElement.Constants.MDoubleInvSqrtAMinusD * z;
        var t0 = tmp * sOverX;
        var t1 = tmp * spOverXp;

        // The same with (X, Y, Z) replaced by (Y, X, i·Z): the other two representatives.
        den = -z2MinusY2 * FieldElement.Constants.MInvSqrtOnePlusD * gamma;
        var iz = FieldElement.Constants.SqrtM1 * z;
        var sOverY = den * (iz - x);
        var spOverYp = den * (iz + x);
        var s2 = sOverY * y;
        var s3 = -spOverYp * y;
        tmp = FieldElement.Constants.MDoubleInvSqrtAMinusD * iz;
        var t2 = tmp * sOverY;
        var t3 = tmp * spOverYp;

        // X = 0 or Y = 0 (the identity and its torsion twins) have no quartic point of their own.
        var degenerate = x.IsZero | y.IsZero;
        var one = FieldElement.One;
        var midouble = FieldElement.Constants.MiDoubleInvSqrtAMinusD;
        t0 = FieldElement.Select(one, t0, degenerate);
        t1 = FieldElement.Select(one, t1, degenerate);
        t2 = FieldElement.Select(midouble, t2, degenerate);
        t3 = FieldElement.Select(midouble, t3, degenerate);
        s2 = FieldElement.Select(one, s2, degenerate);
        s3 = FieldElement.Select(-one, s3, degenerate);
        return [(s0, t0), (s1, t1), (s2, t2), (s3, t3)];
    }

    /// <summary>(s⁴ − a²)·√−1 with a = (t + 1)·(d + 1)/(d − 1): the inverse map takes its inverse square root.</summary>
    private static FieldElement InverseRadicand(FieldElement s, FieldElement t)
    {
        var a = (t + FieldElement.One) * FieldElement.Constants.Dp1OverDm1;
        var s2 = s.Square();
        return (s2.Square() - a.Square()) * FieldElement.Constants.SqrtM1;
    }

    /// <summary>
    /// The non-negative r with e(r) = (s, t) on the Jacobi quartic, and whether one exists, from the inverse square
    /// root of <see cref="InverseRadicand"/> (square: whether it was one).
    /// </summary>
    private static (FieldElement Value, bool Defined) InversePositive(FieldElement s, FieldElement t, bool square, FieldElement yInv)
    {
        var one = FieldElement.One;
        var sIsZero = s.IsZero;
        var output = FieldElement.Select(FieldElement.Constants.SqrtId, FieldElement.Zero, t.CtEquals(one));
        var defined = sIsZero | square;
        var done = sIsZero | !square;

        var a = (t + one) * FieldElement.Constants.Dp1OverDm1;
        var s2 = s.Square();
        var pms2 = FieldElement.Select(-s2, s2, s.IsNegative);
        var value = ((a + pms2) * yInv).Abs();
        output = FieldElement.Select(value, output, !done);
        return (output, defined);
    }
}
