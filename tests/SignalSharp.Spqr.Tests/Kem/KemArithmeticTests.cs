using System.Security.Cryptography;
using SignalSharp.Spqr.Kem;

namespace SignalSharp.Spqr.Tests.Kem;

public sealed class KemArithmeticTests
{
    private const int Q = 3329;

    [Fact]
    public void CanonicalAndBarrettAreCorrectForEveryInt16()
    {
        for (int a = short.MinValue; a <= short.MaxValue; a++)
        {
            int expected = ((a % Q) + Q) % Q;
            Assert.Equal(expected, KemArithmetic.Canonical((short)a));
            int centred = KemArithmetic.BarrettReduce((short)a);
            Assert.InRange(centred, -(Q - 1) / 2, (Q - 1) / 2);
            Assert.Equal(expected, ((centred % Q) + Q) % Q);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(10)]
    public void CompressMatchesRoundingDefinitionExhaustively(int d)
    {
        for (int x = 0; x < Q; x++)
        {
            // round(2^d x / q) = floor((2^(d+1) x + q) / 2q), taken mod 2^d.
            int expected = (((x << (d + 1)) + Q) / (2 * Q)) & ((1 << d) - 1);
            Assert.Equal(expected, KemCodec.Compress((short)x, d));
        }

        for (int y = 0; y < 1 << d; y++)
        {
            int expected = ((2 * y * Q) + (1 << d)) / (1 << (d + 1));
            Assert.Equal(expected, KemCodec.Decompress((short)y, d));
        }
    }

    [Fact]
    public void NttProductEqualsNegacyclicSchoolbookProduct()
    {
        var a = RandomPoly();
        var b = RandomPoly();
        var expected = new long[256];
        for (int i = 0; i < 256; i++)
        {
            for (int j = 0; j < 256; j++)
            {
                long p = (long)a[i] * b[j];
                if (i + j < 256)
                {
                    expected[i + j] += p;
                }
                else
                {
                    expected[i + j - 256] -= p;
                }
            }
        }

        var an = (short[])a.Clone();
        var bn = (short[])b.Clone();
        KemArithmetic.Ntt(an);
        KemArithmetic.Ntt(bn);
        var product = new short[256];
        KemArithmetic.MultiplyAccumulate(an, bn, product);
        KemArithmetic.Reduce(product);
        KemArithmetic.InverseNtt(product);
        for (int i = 0; i < 256; i++)
        {
            Assert.Equal(((expected[i] % Q) + Q) % Q, KemArithmetic.Canonical(product[i]));
        }
    }

    [Fact]
    public void EncodeDecodeRoundTrips()
    {
        foreach (int d in new[] { 1, 4, 10, 12 })
        {
            var f = new short[256];
            for (int i = 0; i < 256; i++)
            {
                f[i] = (short)RandomNumberGenerator.GetInt32(1 << d);
            }

            var bytes = new byte[32 * d];
            KemCodec.Encode(f, d, bytes);
            var back = new short[256];
            KemCodec.Decode(bytes, d, back);
            Assert.Equal(f, back);
        }
    }

    [Fact]
    public void Encode12PacksTwoCoefficientsIntoThreeBytesLittleEndian()
    {
        var f = new short[256];
        f[0] = 0xABC;
        f[1] = 0x123;
        var bytes = new byte[384];
        KemCodec.Encode(f, 12, bytes);
        Assert.Equal(new byte[] { 0xBC, 0x3A, 0x12 }, bytes[..3]);
    }

    private static short[] RandomPoly()
    {
        var f = new short[256];
        for (int i = 0; i < 256; i++)
        {
            f[i] = (short)(RandomNumberGenerator.GetInt32(Q) - (Q / 2));
        }

        return f;
    }
}
