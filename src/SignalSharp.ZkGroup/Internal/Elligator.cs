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
        var result = new byte[]?[16];
        for (var k = 0; k < 4; k++)
        {
            var (s, t) = quartic[k];
            var (v0, d0) = InversePositive(s, t);
            var (v1, d1) = InversePositive(-s, -t);
            result[2 * k] = d0 ? v0.ToBytes() : null;
            result[(2 * k) + 1] = d1 ? v1.ToBytes() : null;
            result[8 + (2 * k)] = d0 ? (-v0).ToBytes() : null;
            result[8 + (2 * k) + 1] = d1 ? (-v1).ToBytes() : null;
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

    /// <summary>The non-negative r with e(r) = (s, t) on the Jacobi quartic, and whether one exists.</summary>
    private static (FieldElement Value, bool Defined) InversePositive(FieldElement s, FieldElement t)
    {
        var one = FieldElement.One;
        var sIsZero = s.IsZero;
        var output = FieldElement.Select(FieldElement.Constants.SqrtId, FieldElement.Zero, t.CtEquals(one));
        var defined = sIsZero;
        var done = sIsZero;

        var a = (t + one) * FieldElement.Constants.Dp1OverDm1;
        var s2 = s.Square();
        var invSqY = (s2.Square() - a.Square()) * FieldElement.Constants.SqrtM1;
        var (square, yInv) = FieldElement.InvSqrt(invSqY);
        defined |= square;
        done |= !square;

        var pms2 = FieldElement.Select(-s2, s2, s.IsNegative);
        var value = ((a + pms2) * yInv).Abs();
        output = FieldElement.Select(value, output, !done);
        return (output, defined);
    }
}
