using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace SignalSharp.Spqr.Kem;

/// <summary>
/// ML-KEM's hash functions (H = SHA3-256, G = SHA3-512, J and PRF = SHAKE256, XOF = SHAKE128) and samplers
/// (SampleNTT, SamplePolyCBD with η = 2).
/// </summary>
/// <remarks>
/// The platform's SHA-3 (OpenSSL on Linux) is used when the runtime reports it, as it is several times faster than
/// managed Keccak; BouncyCastle's Keccak is the portable fallback. Both are checked against libsodium in tests.
/// </remarks>
internal static class KemSampling
{
    public const int Eta = 2;
    private const int PrfLength = 64 * Eta;
    private const int Shake128Block = 168;

    /// <summary>Whether the platform SHA-3 is used (settable so tests and benchmarks can exercise both paths).</summary>
    internal static bool UsePlatformSha3 { get; set; } = PlatformSha3Available;

    internal static bool PlatformSha3Available =>
        SHA3_256.IsSupported && SHA3_512.IsSupported && Shake128.IsSupported && Shake256.IsSupported;

    public static void H(ReadOnlySpan<byte> input, Span<byte> output32) => H(input, [], output32);

    public static void H(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output32)
    {
        if (UsePlatformSha3)
        {
            Concatenated(a, b, (input, output) => SHA3_256.HashData(input, output), output32[..32]);
            return;
        }

        var digest = new Sha3Digest(256);
        digest.BlockUpdate(a);
        digest.BlockUpdate(b);
        digest.DoFinal(output32);
    }

    public static void G(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output64)
    {
        if (UsePlatformSha3)
        {
            Concatenated(a, b, (input, output) => SHA3_512.HashData(input, output), output64[..64]);
            return;
        }

        var digest = new Sha3Digest(512);
        digest.BlockUpdate(a);
        digest.BlockUpdate(b);
        digest.DoFinal(output64);
    }

    public static void J(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output32) => Shake256Of(a, b, output32[..32]);

    private static void Shake256Of(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output)
    {
        if (UsePlatformSha3)
        {
            Concatenated(a, b, (input, o) => System.Security.Cryptography.Shake256.HashData(input, o), output);
            return;
        }

        var shake = new ShakeDigest(256);
        shake.BlockUpdate(a);
        shake.BlockUpdate(b);
        shake.OutputFinal(output);
    }

    private delegate void OneShot(ReadOnlySpan<byte> input, Span<byte> output);

    // One-shot platform hashes take a single input span; inputs here are at most ~1.2 KB.
    private static void Concatenated(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, OneShot hash, Span<byte> output)
    {
        int length = a.Length + b.Length;
        byte[]? rented = length > 2048 ? new byte[length] : null;
        Span<byte> input = rented ?? stackalloc byte[length];
        a.CopyTo(input);
        b.CopyTo(input[a.Length..]);
        hash(input, output);
        CryptographicOperations.ZeroMemory(input);
    }

    /// <summary>SamplePolyCBD_2(PRF_2(seed, nonce)) into f.</summary>
    public static void SampleCbd(ReadOnlySpan<byte> seed32, byte nonce, Span<short> f)
    {
        Span<byte> prf = stackalloc byte[PrfLength];
        ReadOnlySpan<byte> nonceByte = [nonce];
        Shake256Of(seed32[..32], nonceByte, prf);

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
        Span<byte> seed = stackalloc byte[34];
        rho32[..32].CopyTo(seed);
        seed[32] = j;
        seed[33] = i;
        if (UsePlatformSha3)
        {
            // Three blocks almost always suffice; SHAKE output is prefix-consistent, so a longer rerun is the same
            // stream. Public data, so the variable work is fine.
            Span<byte> stream = stackalloc byte[3 * Shake128Block];
            for (int blocks = 3; ; blocks += 2)
            {
                if (blocks > 3)
                {
                    stream = new byte[blocks * Shake128Block];
                }

                System.Security.Cryptography.Shake128.HashData(seed, stream);
                if (Parse(stream, f, 0) == KemArithmetic.N)
                {
                    return;
                }
            }
        }

        var shake = new ShakeDigest(128);
        shake.BlockUpdate(seed);
        Span<byte> block = stackalloc byte[Shake128Block];
        int count = 0;
        while (count < KemArithmetic.N)
        {
            shake.Output(block);
            count = Parse(block, f, count);
        }
    }

    // Algorithm 7's inner step: 12-bit candidates from 3-byte groups, keeping those below q; returns the new count.
    private static int Parse(ReadOnlySpan<byte> bytes, Span<short> f, int count)
    {
        for (int p = 0; p + 3 <= bytes.Length && count < KemArithmetic.N; p += 3)
        {
            int d1 = bytes[p] | ((bytes[p + 1] & 0x0F) << 8);
            int d2 = (bytes[p + 1] >> 4) | (bytes[p + 2] << 4);
            if (d1 < KemArithmetic.Q)
            {
                f[count++] = (short)d1;
            }

            if (d2 < KemArithmetic.Q && count < KemArithmetic.N)
            {
                f[count++] = (short)d2;
            }
        }

        return count;
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
