using System.Security.Cryptography;

namespace SignalSharp.Spqr.Kem;

/// <summary>
/// ML-KEM-768 (FIPS 203, k = 3, η1 = η2 = 2, du = 10, dv = 4) built from the pieces in this folder. The encryption
/// is split in two halves the way SPQR needs it: <see cref="EncryptU"/> needs only ρ (→ c1) and
/// <see cref="EncryptV"/> needs t̂ (→ c2).
/// </summary>
internal static class MlKem768
{
    public const int K = 3;
    public const int PolyBytes = 384;
    public const int VectorBytes = K * PolyBytes; // 1152: ByteEncode12 of a vector
    public const int EncapsulationKeyBytes = VectorBytes + 32; // 1184
    public const int DecapsulationKeyBytes = (2 * VectorBytes) + 96; // 2400
    public const int Ciphertext1Bytes = K * 320; // 960
    public const int Ciphertext2Bytes = 128;
    public const int CiphertextBytes = Ciphertext1Bytes + Ciphertext2Bytes; // 1088
    private const int N = KemArithmetic.N;

    /// <summary>ML-KEM.KeyGen_internal(d, z): writes ek (1184 = t̂ ‖ ρ) and dk (2400).</summary>
    public static void KeyGen(ReadOnlySpan<byte> d32, ReadOnlySpan<byte> z32, Span<byte> ek, Span<byte> dk)
    {
        Span<byte> rhoSigma = stackalloc byte[64];
        ReadOnlySpan<byte> kByte = [K];
        KemSampling.G(d32[..32], kByte, rhoSigma);
        ReadOnlySpan<byte> rho = rhoSigma[..32];
        ReadOnlySpan<byte> sigma = rhoSigma[32..];

        Span<short> matrix = stackalloc short[K * K * N];
        Span<short> s = stackalloc short[K * N];
        Span<short> e = stackalloc short[K * N];
        Span<short> t = stackalloc short[K * N];
        KemSampling.SampleMatrix(rho, transposed: false, matrix);
        for (int i = 0; i < K; i++)
        {
            KemSampling.SampleCbd(sigma, (byte)i, s.Slice(i * N, N));
            KemSampling.SampleCbd(sigma, (byte)(K + i), e.Slice(i * N, N));
            KemArithmetic.Ntt(s.Slice(i * N, N));
            KemArithmetic.Ntt(e.Slice(i * N, N));
        }

        t.Clear();
        for (int i = 0; i < K; i++)
        {
            var ti = t.Slice(i * N, N);
            for (int j = 0; j < K; j++)
            {
                KemArithmetic.MultiplyAccumulate(matrix.Slice(((i * K) + j) * N, N), s.Slice(j * N, N), ti);
            }

            KemArithmetic.Reduce(ti);
            KemArithmetic.ToMontgomery(ti);
            for (int c = 0; c < N; c++)
            {
                ti[c] += e[(i * N) + c];
            }

            KemArithmetic.ToCanonical(ti);
            KemArithmetic.ToCanonical(s.Slice(i * N, N));
            KemCodec.Encode(ti, 12, ek.Slice(i * PolyBytes, PolyBytes));
            KemCodec.Encode(s.Slice(i * N, N), 12, dk.Slice(i * PolyBytes, PolyBytes));
        }

        rho.CopyTo(ek[VectorBytes..]);
        ek[..EncapsulationKeyBytes].CopyTo(dk[VectorBytes..]);
        KemSampling.H(ek[..EncapsulationKeyBytes], dk.Slice(VectorBytes + EncapsulationKeyBytes, 32));
        z32[..32].CopyTo(dk[(DecapsulationKeyBytes - 32)..]);

        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s));
        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(e));
        CryptographicOperations.ZeroMemory(rhoSigma);
    }

    /// <summary>
    /// First half of K-PKE.Encrypt: samples r, e1, e2 from the coins, writes r̂ = NTT(r) (Barrett-reduced, K*256),
    /// e2 (256) and c1 = ByteEncode10(Compress10(NTT⁻¹(Âᵀ∘r̂) + e1)) (960 bytes).
    /// </summary>
    public static void EncryptU(ReadOnlySpan<byte> rho32, ReadOnlySpan<byte> coins32, Span<short> rHat, Span<short> e2, Span<byte> c1)
    {
        Span<short> matrix = stackalloc short[K * K * N];
        Span<short> u = stackalloc short[N];
        Span<short> e1 = stackalloc short[N];
        KemSampling.SampleMatrix(rho32, transposed: true, matrix);
        for (int i = 0; i < K; i++)
        {
            var ri = rHat.Slice(i * N, N);
            KemSampling.SampleCbd(coins32, (byte)i, ri);
            KemArithmetic.Ntt(ri);
        }

        KemSampling.SampleCbd(coins32, (byte)(2 * K), e2);
        for (int i = 0; i < K; i++)
        {
            u.Clear();
            for (int j = 0; j < K; j++)
            {
                KemArithmetic.MultiplyAccumulate(matrix.Slice(((i * K) + j) * N, N), rHat.Slice(j * N, N), u);
            }

            KemArithmetic.Reduce(u);
            KemArithmetic.InverseNtt(u);
            KemSampling.SampleCbd(coins32, (byte)(K + i), e1);
            for (int c = 0; c < N; c++)
            {
                u[c] = KemArithmetic.Canonical((short)(u[c] + e1[c]));
            }

            KemCodec.CompressPoly(u, 10);
            KemCodec.Encode(u, 10, c1.Slice(i * 320, 320));
        }
    }

    /// <summary>
    /// Second half of K-PKE.Encrypt: c2 = ByteEncode4(Compress4(NTT⁻¹(t̂ᵀ∘r̂) + e2 + Decompress1(m))).
    /// t̂ is ByteEncode12(t̂) (1152 bytes); r̂ and e2 may be any int16 congruent to the true values.
    /// </summary>
    public static void EncryptV(ReadOnlySpan<byte> tHat1152, ReadOnlySpan<short> rHat, ReadOnlySpan<short> e2, ReadOnlySpan<byte> m32, Span<byte> c2)
    {
        Span<short> t = stackalloc short[N];
        Span<short> r = stackalloc short[N];
        Span<short> v = stackalloc short[N];
        Span<short> mu = stackalloc short[N];
        v.Clear();
        for (int i = 0; i < K; i++)
        {
            KemCodec.Decode(tHat1152.Slice(i * PolyBytes, PolyBytes), 12, t);
            for (int c = 0; c < N; c++)
            {
                // Reduce first: stored r̂ values from elsewhere are only promised congruent, not bounded.
                r[c] = KemArithmetic.BarrettReduce(rHat[(i * N) + c]);
            }

            KemArithmetic.MultiplyAccumulate(t, r, v);
        }

        KemArithmetic.Reduce(v);
        KemArithmetic.InverseNtt(v);
        KemCodec.MessageToPoly(m32, mu);
        for (int c = 0; c < N; c++)
        {
            int sum = v[c] + KemArithmetic.BarrettReduce(e2[c]) + mu[c];
            v[c] = KemArithmetic.Canonical((short)sum);
        }

        KemCodec.CompressPoly(v, 4);
        KemCodec.Encode(v, 4, c2);
    }

    /// <summary>ML-KEM.Encaps_internal(ek, m): ciphertext (1088) and shared secret (32).</summary>
    public static void Encapsulate(ReadOnlySpan<byte> ek1184, ReadOnlySpan<byte> m32, Span<byte> ciphertext, Span<byte> sharedSecret)
    {
        Span<byte> hashEk = stackalloc byte[32];
        KemSampling.H(ek1184[..EncapsulationKeyBytes], hashEk);
        Span<byte> kr = stackalloc byte[64];
        KemSampling.G(m32[..32], hashEk, kr);
        Encrypt(ek1184, m32, kr[32..], ciphertext);
        kr[..32].CopyTo(sharedSecret);
        CryptographicOperations.ZeroMemory(kr);
    }

    /// <summary>ML-KEM.Decaps_internal(dk, c) with implicit rejection; constant time in the secret key.</summary>
    public static void Decapsulate(ReadOnlySpan<byte> dk2400, ReadOnlySpan<byte> ciphertext1088, Span<byte> sharedSecret)
    {
        ReadOnlySpan<byte> dkPke = dk2400[..VectorBytes];
        ReadOnlySpan<byte> ek = dk2400.Slice(VectorBytes, EncapsulationKeyBytes);
        ReadOnlySpan<byte> hashEk = dk2400.Slice(VectorBytes + EncapsulationKeyBytes, 32);
        ReadOnlySpan<byte> z = dk2400.Slice(DecapsulationKeyBytes - 32, 32);

        Span<byte> m = stackalloc byte[32];
        Decrypt(dkPke, ciphertext1088, m);
        Span<byte> kr = stackalloc byte[64];
        KemSampling.G(m, hashEk, kr);
        Span<byte> reencrypted = stackalloc byte[CiphertextBytes];
        Encrypt(ek, m, kr[32..], reencrypted);
        Span<byte> rejection = stackalloc byte[32];
        KemSampling.J(z, ciphertext1088[..CiphertextBytes], rejection);

        // Select K' when the re-encryption matches, else J(z ‖ c), without a data-dependent branch.
        int equal = CryptographicOperations.FixedTimeEquals(reencrypted, ciphertext1088[..CiphertextBytes]) ? 1 : 0;
        byte keep = (byte)-equal;
        for (int i = 0; i < 32; i++)
        {
            sharedSecret[i] = (byte)((kr[i] & keep) | (rejection[i] & ~keep));
        }

        CryptographicOperations.ZeroMemory(m);
        CryptographicOperations.ZeroMemory(kr);
    }

    /// <summary>The FIPS 203 encapsulation-key modulus check: every 12-bit value of t̂ is below q.</summary>
    public static bool THatIsCanonical(ReadOnlySpan<byte> tHat1152)
    {
        Span<short> t = stackalloc short[N];
        for (int i = 0; i < K; i++)
        {
            KemCodec.Decode(tHat1152.Slice(i * PolyBytes, PolyBytes), 12, t);
            foreach (short value in t)
            {
                if (value >= KemArithmetic.Q)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void Encrypt(ReadOnlySpan<byte> ek1184, ReadOnlySpan<byte> m32, ReadOnlySpan<byte> coins32, Span<byte> ciphertext)
    {
        Span<short> rHat = stackalloc short[K * N];
        Span<short> e2 = stackalloc short[N];
        EncryptU(ek1184.Slice(VectorBytes, 32), coins32, rHat, e2, ciphertext[..Ciphertext1Bytes]);
        EncryptV(ek1184[..VectorBytes], rHat, e2, m32, ciphertext.Slice(Ciphertext1Bytes, Ciphertext2Bytes));
        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(rHat));
    }

    private static void Decrypt(ReadOnlySpan<byte> dkPke1152, ReadOnlySpan<byte> ciphertext, Span<byte> m32)
    {
        Span<short> u = stackalloc short[N];
        Span<short> s = stackalloc short[N];
        Span<short> w = stackalloc short[N];
        w.Clear();
        for (int i = 0; i < K; i++)
        {
            KemCodec.Decode(ciphertext.Slice(i * 320, 320), 10, u);
            KemCodec.DecompressPoly(u, 10);
            KemArithmetic.Ntt(u);
            KemCodec.Decode(dkPke1152.Slice(i * PolyBytes, PolyBytes), 12, s);
            KemArithmetic.MultiplyAccumulate(s, u, w);
        }

        KemArithmetic.Reduce(w);
        KemArithmetic.InverseNtt(w);
        Span<short> v = stackalloc short[N];
        KemCodec.Decode(ciphertext.Slice(Ciphertext1Bytes, Ciphertext2Bytes), 4, v);
        KemCodec.DecompressPoly(v, 4);
        for (int c = 0; c < N; c++)
        {
            w[c] = KemArithmetic.Canonical((short)(v[c] - w[c]));
        }

        KemCodec.PolyToMessage(w, m32);
        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s));
        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(w));
    }
}
