using Org.BouncyCastle.Crypto.Digests;

namespace SignalSharp.Spqr.Kem;

/// <summary>
/// ML-KEM's hash functions (H = SHA3-256, G = SHA3-512, J and PRF = SHAKE256, XOF = SHAKE128) and samplers
/// (SampleNTT, SamplePolyCBD with η = 2). BouncyCastle's Keccak keeps this portable to every .NET platform.
/// </summary>
internal static class KemSampling
{
    public const int Eta = 2;
    private const int PrfLength = 64 * Eta;

    public static void H(ReadOnlySpan<byte> input, Span<byte> output32)
    {
        var digest = new Sha3Digest(256);
        digest.BlockUpdate(input);
        digest.DoFinal(output32);
    }

    public static void H(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output32)
    {
        var digest = new Sha3Digest(256);
        digest.BlockUpdate(a);
        digest.BlockUpdate(b);
        digest.DoFinal(output32);
    }

    public static void G(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output64)
    {
        var digest = new Sha3Digest(512);
        digest.BlockUpdate(a);
        digest.BlockUpdate(b);
        digest.DoFinal(output64);
    }

    public static void J(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output32)
    {
        var shake = new ShakeDigest(256);
        shake.BlockUpdate(a);
        shake.BlockUpdate(b);
        shake.OutputFinal(output32[..32]);
    }

    /// <summary>SamplePolyCBD_2(PRF_2(seed, nonce)) into f.</summary>
    public static void SampleCbd(ReadOnlySpan<byte> seed32, byte nonce, Span<short> f)
    {
        Span<byte> prf = stackalloc byte[PrfLength];
        var shake = new ShakeDigest(256);
        shake.BlockUpdate(seed32[..32]);
        shake.Update(nonce);
        shake.OutputFinal(prf);

        // Each byte gives two coefficients: (b0 + b1) - (b2 + b3) on its low and high nibbles.
        for (int i = 0; i < PrfLength; i++)
        {
            int b = prf[i];
            int bits = (b & 0x55) + ((b >> 1) & 0x55);
            f[2 * i] = (short)((bits & 3) - ((bits >> 2) & 3));
            f[(2 * i) + 1] = (short)(((bits >> 4) & 3) - ((bits >> 6) & 3));
        }
    }

    /// <summary>SampleNTT(ρ ‖ j ‖ i): Â[i][j] by rejection sampling from SHAKE128; values in [0, q).</summary>
    public static void SampleNtt(ReadOnlySpan<byte> rho32, byte j, byte i, Span<short> f)
    {
        var shake = new ShakeDigest(128);
        shake.BlockUpdate(rho32[..32]);
        shake.Update(j);
        shake.Update(i);

        // One SHAKE128 block (168 bytes) yields 56 candidates; public data, so the variable loop count is fine.
        Span<byte> block = stackalloc byte[168];
        int count = 0;
        while (count < KemArithmetic.N)
        {
            shake.Output(block);
            for (int p = 0; p + 3 <= block.Length && count < KemArithmetic.N; p += 3)
            {
                int d1 = block[p] | ((block[p + 1] & 0x0F) << 8);
                int d2 = (block[p + 1] >> 4) | (block[p + 2] << 4);
                if (d1 < KemArithmetic.Q)
                {
                    f[count++] = (short)d1;
                }

                if (d2 < KemArithmetic.Q && count < KemArithmetic.N)
                {
                    f[count++] = (short)d2;
                }
            }
        }
    }

    /// <summary>Â (transposed when asked) as 9 NTT-domain polynomials, row-major: matrix[(3*row + col)*256..].</summary>
    public static void SampleMatrix(ReadOnlySpan<byte> rho32, bool transposed, Span<short> matrix)
    {
        for (int row = 0; row < 3; row++)
        {
            for (int col = 0; col < 3; col++)
            {
                // Â[i][j] = SampleNTT(ρ ‖ j ‖ i); the transpose swaps i and j.
                var target = matrix.Slice(((3 * row) + col) * KemArithmetic.N, KemArithmetic.N);
                if (transposed)
                {
                    SampleNtt(rho32, (byte)row, (byte)col, target);
                }
                else
                {
                    SampleNtt(rho32, (byte)col, (byte)row, target);
                }
            }
        }
    }
}
