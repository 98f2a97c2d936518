namespace SignalSharp.Spqr.Kem;

/// <summary>
/// Arithmetic in R_q = Z_3329[X]/(X^256+1) for ML-KEM (FIPS 203): Montgomery and Barrett reductions, the NTT and its
/// inverse, and multiplication in the NTT domain. Coefficients are int16; every routine is branch-free in the data.
/// </summary>
/// <remarks>
/// Convention: <see cref="Ntt"/> maps a polynomial to its standard NTT (values congruent to FIPS 203's NTT mod q);
/// <see cref="MultiplyAccumulate"/> leaves a factor R^-1 (R = 2^16) on its products, which
/// <see cref="InverseNtt"/> cancels (its final scaling is R^2/128), and <see cref="ToMontgomery"/> cancels where
/// no inverse NTT follows (key generation).
/// </remarks>
internal static class KemArithmetic
{
    public const int N = 256;
    public const short Q = 3329;

    // q^-1 mod 2^16, as a signed 16-bit value.
    private const int QInverse = -3327;

    // R^2 mod q: Montgomery-multiplying by it multiplies by R.
    private const short RSquared = 1353;

    // R^2 / 128 mod q: ends the inverse NTT (1/128 scaling) and removes the R^-1 left by the basecase products.
    private const short InverseNttScale = 1441;

    // zeta^BitRev7(i) * R mod q, centred, for i = 0..127; zeta = 17 is the primitive 256th root of unity.
    private static readonly short[] Zetas = new short[128];

    // zeta^(2*BitRev7(i)+1) * R mod q, centred: the moduli of the 128 degree-one factors.
    private static readonly short[] Gammas = new short[128];

    static KemArithmetic()
    {
        for (int i = 0; i < 128; i++)
        {
            int rev = BitReverse7(i);
            Zetas[i] = Centre(PowMod(17, rev) * 65536L % Q);
            Gammas[i] = Centre(PowMod(17, (2 * rev) + 1) * 65536L % Q);
        }
    }

    public static ReadOnlySpan<short> ZetaTable => Zetas;

    /// <summary>a * R^-1 mod q for |a| &lt; q * 2^15; result in (-q, q).</summary>
    public static short MontgomeryReduce(int a)
    {
        short t = unchecked((short)(a * QInverse));
        return (short)((a - (t * Q)) >> 16);
    }

    /// <summary>a * b * R^-1 mod q.</summary>
    public static short MontgomeryMultiply(short a, short b) => MontgomeryReduce(a * b);

    /// <summary>The centred representative of a mod q, in [-(q-1)/2, (q-1)/2].</summary>
    public static short BarrettReduce(short a)
    {
        // 20159 = round(2^26 / q).
        int t = ((20159 * a) + (1 << 25)) >> 26;
        return (short)(a - (t * Q));
    }

    /// <summary>The canonical representative in [0, q) of any int16 value.</summary>
    public static short Canonical(short a)
    {
        short r = BarrettReduce(a);
        return (short)(r + ((r >> 15) & Q));
    }

    public static void Reduce(Span<short> poly)
    {
        for (int i = 0; i < poly.Length; i++)
        {
            poly[i] = BarrettReduce(poly[i]);
        }
    }

    public static void ToCanonical(Span<short> poly)
    {
        for (int i = 0; i < poly.Length; i++)
        {
            poly[i] = Canonical(poly[i]);
        }
    }

    /// <summary>Forward NTT in place (FIPS 203 Algorithm 9); input |f| &lt; q, output Barrett-reduced.</summary>
    public static void Ntt(Span<short> f)
    {
        f = f[..N];
        ReadOnlySpan<short> zetas = Zetas;
        int k = 1;
        for (int len = 128; len >= 2; len >>= 1)
        {
            for (int start = 0; start < N; start += 2 * len)
            {
                short zeta = zetas[k++];

                // Equal-length halves let the JIT drop most bounds checks in the butterfly loop.
                var low = f.Slice(start, len);
                var high = f.Slice(start + len, low.Length);
                for (int j = 0; j < low.Length; j++)
                {
                    short t = MontgomeryMultiply(zeta, high[j]);
                    high[j] = (short)(low[j] - t);
                    low[j] = (short)(low[j] + t);
                }
            }
        }

        Reduce(f);
    }

    /// <summary>Inverse NTT in place (FIPS 203 Algorithm 10) times R; input |f| &lt; q.</summary>
    public static void InverseNtt(Span<short> f)
    {
        f = f[..N];
        ReadOnlySpan<short> zetas = Zetas;
        int k = 127;
        for (int len = 2; len <= 128; len <<= 1)
        {
            for (int start = 0; start < N; start += 2 * len)
            {
                short zeta = zetas[k--];
                var low = f.Slice(start, len);
                var high = f.Slice(start + len, low.Length);
                for (int j = 0; j < low.Length; j++)
                {
                    short t = low[j];
                    low[j] = BarrettReduce((short)(t + high[j]));
                    high[j] = MontgomeryMultiply(zeta, (short)(high[j] - t));
                }
            }
        }

        for (int j = 0; j < f.Length; j++)
        {
            f[j] = MontgomeryMultiply(f[j], InverseNttScale);
        }
    }

    /// <summary>
    /// acc += a ∘ b (FIPS 203 Algorithm 11, with a factor R^-1); inputs |a|, |b| &lt; 2^12 or Barrett-reduced.
    /// The caller reduces acc after at most three accumulations.
    /// </summary>
    public static void MultiplyAccumulate(ReadOnlySpan<short> a, ReadOnlySpan<short> b, Span<short> acc)
    {
        for (int i = 0; i < 128; i++)
        {
            short a0 = a[2 * i];
            short a1 = a[(2 * i) + 1];
            short b0 = b[2 * i];
            short b1 = b[(2 * i) + 1];
            short c0 = (short)(MontgomeryMultiply(MontgomeryMultiply(a1, b1), Gammas[i]) + MontgomeryMultiply(a0, b0));
            short c1 = (short)(MontgomeryMultiply(a0, b1) + MontgomeryMultiply(a1, b0));
            acc[2 * i] += c0;
            acc[(2 * i) + 1] += c1;
        }
    }

    /// <summary>Multiplies every coefficient by R (cancels the R^-1 of <see cref="MultiplyAccumulate"/>).</summary>
    public static void ToMontgomery(Span<short> f)
    {
        for (int i = 0; i < f.Length; i++)
        {
            f[i] = MontgomeryMultiply(f[i], RSquared);
        }
    }

    private static int BitReverse7(int i)
    {
        int r = 0;
        for (int b = 0; b < 7; b++)
        {
            r |= ((i >> b) & 1) << (6 - b);
        }

        return r;
    }

    private static long PowMod(long b, int e)
    {
        long r = 1;
        for (int i = 0; i < e; i++)
        {
            r = r * b % Q;
        }

        return r;
    }

    private static short Centre(long v)
    {
        v %= Q;
        if (v > Q / 2)
        {
            v -= Q;
        }

        return (short)v;
    }
}
