using System.Numerics;
using CsCheck;
using SignalSharp.ZkGroup.Internal;
using SignalSharp.ZkGroup.Internal.Curve;

namespace SignalSharp.ZkGroup.Tests.Internal;

/// <summary>
/// The eight-lane field (radix 2^25.5) and the many-points product against independent paths on random inputs:
/// BigInteger for the field, the one-point constant-time product and libsodium for the points. These run the vector
/// code whether or not the CPU accelerates it (without AVX-512 the lanes are emulated).
/// </summary>
public sealed class VectorFieldPropertyTests
{
    private static readonly BigInteger P = (BigInteger.One << 255) - 19;
    private static readonly Gen<byte[]> Bytes32 = Gen.Byte.Array[32];
    private static readonly Gen<byte[]> Bytes64 = Gen.Byte.Array[64];

    // Every limb at its largest (2^255 − 1, which is 18) stresses the column bounds.
    private static readonly Gen<Fe> AnyFe = Gen.Frequency(
        (9, Bytes32.Select(b => Fe.FromBytes(b))),
        (1, Gen.Const(new Fe(Fe.Mask, Fe.Mask, Fe.Mask, Fe.Mask, Fe.Mask))));

    private static BigInteger Value(in Fe f) => new(f.ToArray(), isUnsigned: true, isBigEndian: false);

    private static BigInteger[] Values(in FeVec v)
    {
        var lanes = new Fe[FeVec.Lanes];
        v.Store(lanes);
        return [.. lanes.Select(f => Value(f))];
    }

    private static BigInteger Mod(BigInteger x) => ((x % P) + P) % P;

    [Fact]
    public void Lane_arithmetic_matches_big_integer_arithmetic() =>
        Gen.Select(AnyFe.Array[FeVec.Lanes], AnyFe.Array[FeVec.Lanes]).Sample(
            (a, b) =>
            {
                var x = FeVec.Load(a);
                var y = FeVec.Load(b);
                var av = a.Select(f => Value(f)).ToArray();
                var bv = b.Select(f => Value(f)).ToArray();

                // Unreduced sums on both sides of the multipliers and as the subtrahend, as the point formulas use them.
                var sum = FeVec.Add(x, y);
                var products = Values(FeVec.Mul(x, y));
                var squares = Values(FeVec.Square(x));
                var sumProducts = Values(FeVec.Mul(sum, sum));
                var sumSquares = Values(FeVec.Square(sum));
                var differences = Values(FeVec.Sub(x, sum));
                var chained = Values(FeVec.Mul(FeVec.Square(FeVec.Mul(x, y)), FeVec.Sub(y, x)));
                var negated = Values(FeVec.Neg(y));
                var roundTrip = Values(x);
                for (var j = 0; j < FeVec.Lanes; j++)
                {
                    var s = av[j] + bv[j];
                    if (products[j] != Mod(av[j] * bv[j]) || squares[j] != Mod(av[j] * av[j])
                        || sumProducts[j] != Mod(s * s) || sumSquares[j] != Mod(s * s)
                        || differences[j] != Mod(-bv[j])
                        || chained[j] != Mod(av[j] * bv[j] * av[j] * bv[j] * (bv[j] - av[j]))
                        || negated[j] != Mod(-bv[j]) || roundTrip[j] != Mod(av[j]))
                    {
                        return false;
                    }
                }

                return true;
            },
            iter: 200);

    [Fact]
    public void Selection_takes_each_lane_from_the_masked_side()
    {
        var a = Enumerable.Range(1, FeVec.Lanes).Select(i => new Fe((ulong)i, 0, 0, 0, 0)).ToArray();
        var b = Enumerable.Range(1, FeVec.Lanes).Select(i => new Fe((ulong)(100 + i), 0, 0, 0, 0)).ToArray();
        var mask = System.Runtime.Intrinsics.Vector512.Create(0UL, ulong.MaxValue, 0, ulong.MaxValue, 0, 0, ulong.MaxValue, 0);
        var picked = Values(FeVec.Select(FeVec.Load(a), FeVec.Load(b), mask));
        Assert.Equal(new BigInteger[] { 1, 102, 3, 104, 5, 6, 107, 8 }, picked);
    }

    [Fact]
    public void Products_of_one_scalar_with_many_points_match_one_at_a_time_and_libsodium() =>
        Gen.Select(Bytes64, Bytes64.Array[1, 20], Gen.Int[0, 3]).Sample(
            (scalarBytes, hashes, edge) =>
            {
                // Edge scalars too: 0, 1 and ℓ − 1 (whose top radix-16 digit is the largest).
                var s = edge switch
                {
                    0 => Scalar.Zero,
                    1 => Scalar.One,
                    2 => Scalar.Zero - Scalar.One,
                    _ => Scalar.FromWide(scalarBytes),
                };
                var points = hashes.Select(h => RistrettoPoint.FromUniformBytes(h)).ToArray();
                points[0] = RistrettoPoint.Identity;
                var many = EdPointVec.MulMany(s, [.. points.Select(p => p.Point)]);
                for (var i = 0; i < points.Length; i++)
                {
                    var encoded = new byte[32];
                    Ristretto.Encode(many[i], encoded);
                    if (!encoded.AsSpan().SequenceEqual((s * points[i]).Bytes)
                        || !encoded.AsSpan().SequenceEqual(SodiumRistretto.Mul(s, points[i].Bytes)))
                    {
                        return false;
                    }
                }

                return RistrettoPoint.MulMany(s, points).Select(p => p.ToArray()).SequenceEqual(many.Select(p =>
                {
                    var e = new byte[32];
                    Ristretto.Encode(p, e);
                    return e;
                }), new ByteArrayComparer());
            },
            iter: 25);

    [Fact]
    public void Batched_square_roots_match_one_at_a_time() =>
        Gen.Select(AnyFe.Array[1, 20], AnyFe.Array[20], Gen.Int[0, 19]).Sample(
            (u, v, zeroAt) =>
            {
                // A zero u and a zero v (with u ≠ 0) are the special cases of SQRT_RATIO_M1.
                u[zeroAt % u.Length] = Fe.Zero;
                v[(zeroAt + 1) % u.Length] = Fe.Zero;
                var roots = new Fe[u.Length];
                var squares = new ulong[u.Length];
                Fe.SqrtRatioM1Many(u, v.AsSpan(0, u.Length), roots, squares);
                for (var i = 0; i < u.Length; i++)
                {
                    var square = Fe.SqrtRatioM1(u[i], v[i], out var root);
                    if (square != squares[i] || Value(root) != Value(roots[i]))
                    {
                        return false;
                    }
                }

                return true;
            },
            iter: 40);

    [Fact]
    public void Batched_hash_to_curve_and_decoding_match_one_at_a_time_and_libsodium() =>
        Gen.Select(Bytes64.Array[1, 20], Bytes32.Array[1, 12], Gen.Int[0, 11]).Sample(
            (hashes, junk, at) =>
            {
                var many = RistrettoPoint.FromUniformBytesMany([.. hashes.SelectMany(h => h)]);
                var singles = RistrettoPoint.MapToCurveMany([.. hashes.SelectMany(h => h)]);
                for (var i = 0; i < singles.Length; i++)
                {
                    if (singles[i] != RistrettoPoint.MapToCurve(hashes[i / 2].AsSpan(32 * (i % 2), 32)))
                    {
                        return false;
                    }
                }

                for (var i = 0; i < hashes.Length; i++)
                {
                    if (!many[i].Bytes.SequenceEqual(SodiumRistretto.FromHash(hashes[i])) || many[i] != RistrettoPoint.FromUniformBytes(hashes[i]))
                    {
                        return false;
                    }
                }

                // Valid encodings mixed with random bytes (mostly invalid), a negative s and a non-canonical one.
                var encodings = many.Select(p => p.ToArray()).Concat(junk).ToList();
                var negative = many[0].ToArray();
                negative[0] |= 1;
                var nonCanonical = Enumerable.Repeat((byte)0xFF, 31).Append((byte)0x7F).ToArray();
                encodings.Insert(at % encodings.Count, negative);
                encodings.Add(nonCanonical);
                var valid = new bool[encodings.Count];
                var decoded = RistrettoPoint.DecodeMany([.. encodings], valid);
                for (var i = 0; i < encodings.Count; i++)
                {
                    var ok = RistrettoPoint.TryDecode(encodings[i], out var one);
                    if (ok != valid[i] || (ok ? !decoded[i].Bytes.SequenceEqual(encodings[i]) || decoded[i] != one : !decoded[i].IsIdentity))
                    {
                        return false;
                    }
                }

                return valid.Take(many.Length).Count(v => v) >= many.Length - 1;
            },
            iter: 40);

    [Fact]
    public void Lane_sums_match_the_straus_sum_of_each_lane() =>
        Gen.Select(Bytes64.Array[1, 30], Bytes64.Array[30], Gen.Bool).Sample(
            (hashes, scalarBytes, small) =>
            {
                // Full scalars over 64 windows, or ones below 2^127 (the endorsement weights) over 33.
                var scalars = hashes.Select((_, i) =>
                {
                    var b = scalarBytes[i];
                    if (!small)
                    {
                        return Scalar.FromWide(b);
                    }

                    var c = b[..16];
                    c[15] &= 0x7F;
                    return Scalar.FromSmallBytes(c);
                }).ToArray();
                var points = hashes.Select(h => RistrettoPoint.FromUniformBytes(h)).ToArray();
                points[^1] = RistrettoPoint.Identity;
                var lanes = EdPointVecSums.LaneSums(scalars, [.. points.Select(p => p.Point)], small ? 33 : 64);
                for (var j = 0; j < FeVec.Lanes; j++)
                {
                    var mine = Enumerable.Range(0, points.Length).Where(i => i % FeVec.Lanes == j).ToArray();
                    var expected = RistrettoPoint.VartimeMultiscalar([.. mine.Select(i => scalars[i])], [.. mine.Select(i => points[i])]);
                    var lane = new byte[32];
                    Ristretto.Encode(lanes[j], lane);
                    if (!lane.AsSpan().SequenceEqual(expected.Bytes))
                    {
                        return false;
                    }
                }

                return true;
            },
            iter: 20);

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
