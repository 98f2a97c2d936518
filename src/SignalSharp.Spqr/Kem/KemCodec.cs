namespace SignalSharp.Spqr.Kem;

/// <summary>
/// FIPS 203 ByteEncode/ByteDecode (little-endian bit packing of d-bit values) and Compress/Decompress.
/// </summary>
/// <remarks>
/// Compress avoids a hardware division by q (its timing can depend on secret data, cf. KyberSlash): it multiplies
/// by a 40-bit reciprocal, exact for every input here (an exhaustive test checks it).
/// </remarks>
internal static class KemCodec
{
    // ceil(2^40 / q)
    private const ulong Reciprocal = 330_282_857;

    /// <summary>Packs 256 values of <paramref name="d"/> bits each into 32*d bytes.</summary>
    public static void Encode(ReadOnlySpan<short> f, int d, Span<byte> output)
    {
        ulong buffer = 0;
        int bits = 0;
        int o = 0;
        ulong mask = (1UL << d) - 1;
        for (int i = 0; i < KemArithmetic.N; i++)
        {
            buffer |= ((ulong)(ushort)f[i] & mask) << bits;
            bits += d;
            while (bits >= 8)
            {
                output[o++] = (byte)buffer;
                buffer >>= 8;
                bits -= 8;
            }
        }
    }

    /// <summary>Unpacks 256 values of <paramref name="d"/> bits each from 32*d bytes (no reduction mod q).</summary>
    public static void Decode(ReadOnlySpan<byte> input, int d, Span<short> f)
    {
        ulong buffer = 0;
        int bits = 0;
        int o = 0;
        int mask = (1 << d) - 1;
        for (int i = 0; i < KemArithmetic.N; i++)
        {
            while (bits < d)
            {
                buffer |= (ulong)input[o++] << bits;
                bits += 8;
            }

            f[i] = (short)((int)buffer & mask);
            buffer >>= d;
            bits -= d;
        }
    }

    /// <summary>round(2^d / q * x) mod 2^d for canonical x in [0, q).</summary>
    public static short Compress(short x, int d)
    {
        // No exact halves occur (q is odd), so rounding is floor((x * 2^d + (q-1)/2) / q).
        ulong n = ((ulong)(ushort)x << d) + 1664;
        ulong quotient = (n * Reciprocal) >> 40;
        return (short)(quotient & ((1UL << d) - 1));
    }

    /// <summary>round(q / 2^d * y), rounding halves up.</summary>
    public static short Decompress(short y, int d) =>
        (short)(((y * KemArithmetic.Q) + (1 << (d - 1))) >> d);

    public static void CompressPoly(Span<short> f, int d)
    {
        for (int i = 0; i < KemArithmetic.N; i++)
        {
            f[i] = Compress(f[i], d);
        }
    }

    public static void DecompressPoly(Span<short> f, int d)
    {
        for (int i = 0; i < KemArithmetic.N; i++)
        {
            f[i] = Decompress(f[i], d);
        }
    }

    /// <summary>Decompress1(ByteDecode1(m)): bit i of m becomes (q+1)/2 or 0, without branching on the bit.</summary>
    public static void MessageToPoly(ReadOnlySpan<byte> m32, Span<short> f)
    {
        for (int i = 0; i < KemArithmetic.N; i++)
        {
            int bit = (m32[i >> 3] >> (i & 7)) & 1;
            f[i] = (short)(-bit & ((KemArithmetic.Q + 1) / 2));
        }
    }

    /// <summary>ByteEncode1(Compress1(f)) for canonical f.</summary>
    public static void PolyToMessage(ReadOnlySpan<short> f, Span<byte> m32)
    {
        m32[..32].Clear();
        for (int i = 0; i < KemArithmetic.N; i++)
        {
            m32[i >> 3] |= (byte)(Compress(f[i], 1) << (i & 7));
        }
    }
}
