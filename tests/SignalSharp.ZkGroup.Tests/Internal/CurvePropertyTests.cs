using System.Numerics;
using CsCheck;
using SignalSharp.ZkGroup.Internal;
using SignalSharp.ZkGroup.Internal.Curve;

namespace SignalSharp.ZkGroup.Tests.Internal;

/// <summary>
/// The managed ristretto255 arithmetic (51-bit limbs, multiscalar, fixed-base tables, batch inversion) against an
/// independent implementation on random inputs: libsodium for group operations, BigInteger for the field.
/// </summary>
public sealed class CurvePropertyTests
{
    private static readonly BigInteger P = (BigInteger.One << 255) - 19;
    private static readonly Gen<byte[]> Bytes32 = Gen.Byte.Array[32];
    private static readonly Gen<byte[]> Bytes64 = Gen.Byte.Array[64];
    private static readonly Gen<Scalar> AnyScalar = Bytes64.Select(b => Scalar.FromWide(b));
    private static readonly Gen<RistrettoPoint> AnyPoint = Bytes64.Select(b => RistrettoPoint.FromUniformBytes(b));

    private static BigInteger Value(ReadOnlySpan<byte> b32) => new(b32, isUnsigned: true, isBigEndian: false);

    private static BigInteger Masked(byte[] b)
    {
        var c = (byte[])b.Clone();
        c[31] &= 0x7F;
        return Value(c) % P;
    }

    private static BigInteger Value(in Fe f) => Value(f.ToArray());

    [Fact]
    public void Field_operations_match_big_integer_arithmetic() =>
        Gen.Select(Bytes32, Bytes32).Sample(
            (a, b) =>
            {
                var x = Fe.FromBytes(a);
                var y = Fe.FromBytes(b);
                BigInteger xa = Masked(a), yb = Masked(b);
                var sum = Fe.Add(Fe.Add(x, y), Fe.Add(x, y));
                return Value(Fe.Mul(x, y)) == xa * yb % P
                    && Value(Fe.Square(x)) == xa * xa % P
                    && Value(Fe.Sub(x, y)) == (((xa - yb) % P) + P) % P
                    && Value(Fe.Mul(sum, sum)) == 4 * (xa + yb) * (xa + yb) % P
                    && Value(Fe.MulSmall(x, 121666)) == xa * 121666 % P
                    && (xa == 0 || Value(Fe.Mul(Fe.Invert(x), x)) == 1);
            },
            iter: 300);

    [Fact]
    public void The_portable_multiplier_agrees_with_the_bmi2_one() =>
        Gen.Select(Bytes32, Bytes32).Sample(
            (a, b) =>
            {
                // Unreduced sums as inputs too: the multiplier accepts limbs up to 2^54.
                var x = Fe.Add(Fe.Add(Fe.FromBytes(a), Fe.FromBytes(b)), Fe.FromBytes(a));
                var y = Fe.FromBytes(b);
                return Value(FieldMultiplier.MulPortable(x, y)) == Value(Fe.Mul(x, y))
                    && Value(FieldMultiplier.SquarePortable(x)) == Value(Fe.Square(x))
                    && Value(Fe.Square(x)) == (Masked(a) * 2 + Masked(b)) * (Masked(a) * 2 + Masked(b)) % P;
            },
            iter: 300);

    [Fact]
    public void Encodings_at_the_edge_of_the_field_are_canonical()
    {
        // p − 1, p, p + 1 and 2^255 − 1 (all four with the top bit clear) reduce to −1, 0, 1 and 18.
        foreach (var (value, expected) in new[] { (P - 1, P - 1), (P, BigInteger.Zero), (P + 1, BigInteger.One), ((BigInteger.One << 255) - 1, new BigInteger(18)) })
        {
            var b = new byte[32];
            value.TryWriteBytes(b, out _, isUnsigned: true);
            Assert.Equal(expected, Value(Fe.FromBytes(b)));
        }
    }

    [Fact]
    public void Batch_inversion_matches_one_inversion_each_and_keeps_zeros() =>
        Gen.Select(Bytes32.Array[1, 20], Gen.Int[0, 19]).Sample(
            (values, zeroAt) =>
            {
                var fes = values.Select(v => Fe.FromBytes(v)).ToArray();
                fes[zeroAt % fes.Length] = Fe.Zero;
                var batch = (Fe[])fes.Clone();
                Fe.BatchInvert(batch);
                return fes.Zip(batch).All(t => Value(Fe.Invert(t.First)) == Value(t.Second));
            },
            iter: 60);

    [Fact]
    public void Hash_to_curve_encode_and_decode_match_libsodium() =>
        Bytes64.Sample(
            h =>
            {
                var p = RistrettoPoint.FromUniformBytes(h);
                var expected = SodiumRistretto.FromHash(h);
                return p.Bytes.SequenceEqual(expected)
                    && RistrettoPoint.TryDecode(expected, out var back) && back == p && back.Bytes.SequenceEqual(expected);
            },
            iter: 200);

    [Fact]
    public void Addition_subtraction_and_negation_match_libsodium() =>
        Gen.Select(AnyPoint, AnyPoint).Sample(
            (p, q) => (p + q).Bytes.SequenceEqual(SodiumRistretto.Add(p.Bytes, q.Bytes))
                && (p - q).Bytes.SequenceEqual(SodiumRistretto.Sub(p.Bytes, q.Bytes))
                && (-p).Bytes.SequenceEqual(SodiumRistretto.Sub(new byte[32], p.Bytes))
                && (p + p + p).Bytes.SequenceEqual(SodiumRistretto.Add(SodiumRistretto.Add(p.Bytes, p.Bytes), p.Bytes)),
            iter: 150);

    [Fact]
    public void Constant_time_products_match_libsodium() =>
        Gen.Select(AnyScalar, AnyPoint).Sample(
            (s, p) => (s * p).Bytes.SequenceEqual(SodiumRistretto.Mul(s, p.Bytes))
                && RistrettoPoint.MulBase(s).Bytes.SequenceEqual(SodiumRistretto.MulBase(s)),
            iter: 60);

    [Fact]
    public void Fixed_table_products_match_the_plain_product() =>
        Gen.Select(AnyScalar, AnyPoint, Gen.Byte.Array[16]).Sample(
            (s, p, small) =>
            {
                var fixedP = p.WithFixedTable();
                var w = Scalar.FromSmallBytes(small[..15]);
                return (s * fixedP) == (s * p) && (s * fixedP).Bytes.SequenceEqual(SodiumRistretto.Mul(s, p.Bytes))
                    && (w * fixedP) == (w * p) && (Scalar.Zero * fixedP).IsIdentity && (Scalar.One * fixedP) == p;
            },
            iter: 12);

    [Fact]
    public void Multiscalar_sums_match_the_sum_of_products() =>
        Gen.Select(AnyScalar.Array[1, 12], AnyPoint.Array[12], Gen.Bool).Sample(
            (scalars, points, withFixed) =>
            {
                var pts = points[..scalars.Length];
                if (withFixed)
                {
                    pts[0] = pts[0].WithFixedTable();
                }

                var expected = new byte[32];
                for (var i = 0; i < scalars.Length; i++)
                {
                    expected = SodiumRistretto.Add(expected, SodiumRistretto.Mul(scalars[i], pts[i].Bytes));
                }

                return RistrettoPoint.Multiscalar(scalars, pts).Bytes.SequenceEqual(expected)
                    && RistrettoPoint.VartimeMultiscalar(scalars, pts).Bytes.SequenceEqual(expected);
            },
            iter: 25);

    [Fact]
    public void Multiscalar_handles_edge_scalars()
    {
        var order = Convert.FromHexString("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
        order[0]--;
        Assert.True(Scalar.TryFromCanonical(order, out var minusOne));
        var allSevens = Enumerable.Repeat((byte)0x77, 31).Append((byte)0x07).ToArray();
        var allEights = Enumerable.Repeat((byte)0x88, 31).Append((byte)0x08).ToArray();
        Scalar[] scalars = [minusOne, Scalar.Zero, Scalar.One, Scalar.FromSmallBytes(allSevens), Scalar.FromSmallBytes(allEights)];
        var p = RistrettoPoint.FromUniformBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        foreach (var s in scalars)
        {
            var expected = SodiumRistretto.Mul(s, p.Bytes);
            Assert.Equal(expected, (s * p).ToArray());
            Assert.Equal(expected, (s * p.WithFixedTable()).ToArray());
            Assert.Equal(expected, RistrettoPoint.VartimeMultiscalar([s], [p]).ToArray());
        }

        Assert.True((minusOne * p + p).IsIdentity);
    }

    [Fact]
    public void Radix16_and_naf_digits_recompose_the_scalar() =>
        AnyScalar.Sample(
            s =>
            {
                Span<sbyte> r16 = stackalloc sbyte[64];
                ScalarMul.Radix16(s.Bytes, r16);
                var fromRadix = BigInteger.Zero;
                for (var i = 63; i >= 0; i--)
                {
                    fromRadix = (fromRadix * 16) + r16[i];
                }

                Span<sbyte> naf = stackalloc sbyte[256];
                ScalarMul.Naf(s.Bytes, 5, naf);
                var fromNaf = BigInteger.Zero;
                var lastNonZero = 1000;
                var spaced = true;
                for (var i = 255; i >= 0; i--)
                {
                    fromNaf = (fromNaf * 2) + naf[i];
                    if (naf[i] != 0)
                    {
                        spaced &= lastNonZero - i >= 5 && (naf[i] & 1) == 1 && Math.Abs((int)naf[i]) < 16;
                        lastNonZero = i;
                    }
                }

                var value = Value(s.Bytes);
                var radixOk = true;
                foreach (var d in r16)
                {
                    radixOk &= d is >= -8 and <= 8;
                }

                return fromRadix == value && fromNaf == value && spaced && radixOk;
            },
            iter: 300);

    [Fact]
    public void Equality_sees_through_representations_and_doubled_encodings_match() =>
        Gen.Select(AnyPoint, AnyPoint).Sample(
            (p, q) =>
            {
                // p + q − q has other coordinates than p but is the same element.
                var round = p + q - q;
                var doubled = RistrettoPoint.DoubleAndEncodeBatch([p, q]);
                return round == p && p != q && round.Bytes.SequenceEqual(p.Bytes)
                    && doubled[0].AsSpan().SequenceEqual(SodiumRistretto.Add(p.Bytes, p.Bytes))
                    && doubled[1].AsSpan().SequenceEqual(SodiumRistretto.Add(q.Bytes, q.Bytes));
            },
            iter: 100);

    [Fact]
    public void Batch_double_and_encode_matches_libsodium_for_any_representative() =>
        Gen.Select(AnyPoint.Array[1, 20], Gen.Int[0, 19]).Sample(
            (points, identityAt) =>
            {
                // The identity (whose doubled encoding needs the zero case) and other representatives of the same
                // elements: P + (0, −1), the 2-torsion point, negates X and Y.
                points[identityAt % points.Length] = RistrettoPoint.Identity;
                var ed = points.Select((p, i) => i % 2 == 0 ? p.Point : new EdPoint(Fe.Neg(p.Point.X), Fe.Neg(p.Point.Y), p.Point.Z, p.Point.T)).ToArray();
                var batch = Ristretto.DoubleAndEncodeBatch(ed);
                for (var i = 0; i < points.Length; i++)
                {
                    var one = new byte[32];
                    Ristretto.Encode(EdPoint.Double(ed[i]), one);
                    if (!batch[i].AsSpan().SequenceEqual(SodiumRistretto.Add(points[i].Bytes, points[i].Bytes)) || !batch[i].AsSpan().SequenceEqual(one))
                    {
                        return false;
                    }
                }

                return true;
            },
            iter: 60);

    [Fact]
    public void Inverse_elligator_candidates_do_not_depend_on_the_representative() =>
        Gen.Select(Bytes32, AnyPoint).Sample(
            (t, q) =>
            {
                var mapped = RistrettoPoint.MapToCurve(t);
                Assert.True(RistrettoPoint.TryDecode(mapped.Bytes, out var decoded));
                var viaArithmetic = mapped + q - q + RistrettoPoint.Identity;
                static string[] Set(RistrettoPoint p) =>
                    [.. Elligator.InverseCandidates(p).Where(c => c is not null).Select(c => Convert.ToHexString(c!)).Order()];
                var expected = Set(decoded);
                var masked = (byte[])t.Clone();
                masked[31] &= 0x7F;
                return expected.SequenceEqual(Set(mapped)) && expected.SequenceEqual(Set(viaArithmetic))
                    && expected.Select(h => RistrettoPoint.MapToCurve(Convert.FromHexString(h))).All(p => p == mapped);
            },
            iter: 40);

    [Fact]
    public void Invalid_and_non_canonical_encodings_are_rejected_as_libsodium_does() =>
        Bytes32.Sample(
            b => RistrettoPoint.TryDecode(b, out _) == SodiumRistretto.IsValid(b),
            iter: 500);
}
