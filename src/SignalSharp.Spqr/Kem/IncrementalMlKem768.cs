using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SignalSharp.Spqr.Kem;

/// <summary>
/// The split ("incremental") ML-KEM-768 that SPQR's Braid uses: the encapsulation key travels as a 64-byte header
/// (ρ ‖ SHA3-256(ek)) and the 1152-byte t̂, so the peer can produce ct1 from the header alone and ct2 once t̂ arrives.
/// ct1 ‖ ct2 is a standard FIPS 203 ciphertext for ek = t̂ ‖ ρ, and decapsulation is standard ML-KEM-768.
/// </summary>
/// <remarks>
/// The 2080-byte encapsulation state is libcrux's layout, as libsignal stores it: r̂ (3×256 int16 LE) ‖ e2
/// (256 int16 LE) ‖ m (32). libcrux ends its NTT with a Barrett reduction to the centred representative
/// (|x| ≤ 1664; its portable and AVX2 Barrett formulas agree), and so does ours, so for the same m our state is
/// byte-identical to the one node stores (checked against libsignal 0.100.0). Reading is more lenient: any int16
/// congruent mod q is accepted, and <see cref="Encaps2"/> repairs states written with libcrux issue #1275's byte
/// order (big-endian int16), as SPQR does.
/// </remarks>
internal static class IncrementalMlKem768
{
    public const int HeaderSize = 64;
    public const int EncapsulationKeySize = MlKem768.VectorBytes; // 1152
    public const int DecapsulationKeySize = MlKem768.DecapsulationKeyBytes; // 2400
    public const int Ciphertext1Size = MlKem768.Ciphertext1Bytes; // 960
    public const int Ciphertext2Size = MlKem768.Ciphertext2Bytes; // 128
    public const int EncapsStateSize = (4 * KemArithmetic.N * 2) + 32; // 2080
    public const int SharedSecretSize = 32;
    public const int SeedSize = 64;
    public const int RandomnessSize = 32;

    private const int E2Offset = 3 * KemArithmetic.N * 2; // 1536
    private const int MOffset = EncapsStateSize - 32; // 2048

    /// <summary>Deterministic key generation from d ‖ z (64 bytes): ML-KEM-768 KeyGen_internal(d, z).</summary>
    public static KeyMaterial Generate(ReadOnlySpan<byte> seed64)
    {
        RequireLength(seed64, SeedSize, nameof(seed64));
        Span<byte> ekFull = stackalloc byte[MlKem768.EncapsulationKeyBytes];
        var dk = new byte[DecapsulationKeySize];
        MlKem768.KeyGen(seed64[..32], seed64[32..], ekFull, dk);

        var header = new byte[HeaderSize];
        ekFull[EncapsulationKeySize..].CopyTo(header);
        // dk already holds H(ek_full) right after ek_full.
        dk.AsSpan(MlKem768.VectorBytes + MlKem768.EncapsulationKeyBytes, 32).CopyTo(header.AsSpan(32));
        return new KeyMaterial(header, ekFull[..EncapsulationKeySize].ToArray(), dk);
    }

    /// <summary>Key generation with fresh randomness.</summary>
    public static KeyMaterial Generate(RandomNumberGenerator? rng = null)
    {
        Span<byte> seed = stackalloc byte[SeedSize];
        Fill(rng, seed);
        try
        {
            return Generate(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// The first half of encapsulation from the header and 32 bytes of randomness m: ct1 (960), the encapsulation
    /// state (2080) for <see cref="Encaps2"/>, and the shared secret K (final already: it depends only on m and H(ek)).
    /// </summary>
    public static Encaps1Result Encaps1(ReadOnlySpan<byte> header64, ReadOnlySpan<byte> m32)
    {
        RequireLength(header64, HeaderSize, nameof(header64));
        RequireLength(m32, RandomnessSize, nameof(m32));
        Span<byte> kr = stackalloc byte[64];
        KemSampling.G(m32, header64[32..], kr);

        Span<short> rHat = stackalloc short[3 * KemArithmetic.N];
        Span<short> e2 = stackalloc short[KemArithmetic.N];
        var ct1 = new byte[Ciphertext1Size];
        MlKem768.EncryptU(header64[..32], kr[32..], rHat, e2, ct1);

        var state = new byte[EncapsStateSize];
        for (int i = 0; i < rHat.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(state.AsSpan(2 * i), rHat[i]);
        }

        for (int i = 0; i < e2.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(state.AsSpan(E2Offset + (2 * i)), e2[i]);
        }

        m32.CopyTo(state.AsSpan(MOffset));
        var secret = kr[..32].ToArray();
        CryptographicOperations.ZeroMemory(kr);
        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(rHat));
        return new Encaps1Result(ct1, state, secret);
    }

    /// <summary>Encaps1 with fresh randomness.</summary>
    public static Encaps1Result Encaps1(ReadOnlySpan<byte> header64, RandomNumberGenerator? rng = null)
    {
        Span<byte> m = stackalloc byte[RandomnessSize];
        Fill(rng, m);
        try
        {
            return Encaps1(header64, m);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(m);
        }
    }

    /// <summary>The second half: ct2 (128 bytes) from t̂ (1152) and a state written by Encaps1 here or by libcrux.</summary>
    public static byte[] Encaps2(ReadOnlySpan<byte> ek1152, ReadOnlySpan<byte> encapsState2080)
    {
        RequireLength(ek1152, EncapsulationKeySize, nameof(ek1152));
        RequireLength(encapsState2080, EncapsStateSize, nameof(encapsState2080));
        bool swapped = HasLibcrux1275ByteOrder(encapsState2080);

        Span<short> rHat = stackalloc short[3 * KemArithmetic.N];
        Span<short> e2 = stackalloc short[KemArithmetic.N];
        for (int i = 0; i < rHat.Length; i++)
        {
            rHat[i] = ReadInt16(encapsState2080[(2 * i)..], swapped);
        }

        for (int i = 0; i < e2.Length; i++)
        {
            e2[i] = ReadInt16(encapsState2080[(E2Offset + (2 * i))..], swapped);
        }

        var ct2 = new byte[Ciphertext2Size];
        MlKem768.EncryptV(ek1152, rHat, e2, encapsState2080[MOffset..], ct2);
        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(rHat));
        return ct2;
    }

    /// <summary>Standard ML-KEM-768 decapsulation of ct1 ‖ ct2 (implicit rejection on a bad ciphertext).</summary>
    public static byte[] Decaps(ReadOnlySpan<byte> dk2400, ReadOnlySpan<byte> ct1, ReadOnlySpan<byte> ct2)
    {
        RequireLength(dk2400, DecapsulationKeySize, nameof(dk2400));
        RequireLength(ct1, Ciphertext1Size, nameof(ct1));
        RequireLength(ct2, Ciphertext2Size, nameof(ct2));
        Span<byte> ciphertext = stackalloc byte[MlKem768.CiphertextBytes];
        ct1.CopyTo(ciphertext);
        ct2.CopyTo(ciphertext[Ciphertext1Size..]);
        var secret = new byte[SharedSecretSize];
        MlKem768.Decapsulate(dk2400, ciphertext, secret);
        return secret;
    }

    /// <summary>
    /// True when SHA3-256(ek ‖ ρ) equals the header's hash and ek passes the FIPS 203 modulus check; SPQR treats
    /// false as erroneous data from the peer.
    /// </summary>
    public static bool EncapsulationKeyMatchesHeader(ReadOnlySpan<byte> ek1152, ReadOnlySpan<byte> header64)
    {
        if (ek1152.Length != EncapsulationKeySize || header64.Length != HeaderSize)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[32];
        KemSampling.H(ek1152, header64[..32], hash);
        return hash.SequenceEqual(header64[32..]) && MlKem768.THatIsCanonical(ek1152);
    }

    /// <summary>
    /// libcrux issue #1275 wrote the int16s big-endian. e2's values lie in [-2, 2], so the first one that is neither
    /// 0 nor -1 (the same both ways) tells the byte order; SPQR repairs only on a clear big-endian signal.
    /// </summary>
    internal static bool HasLibcrux1275ByteOrder(ReadOnlySpan<byte> encapsState2080)
    {
        for (int offset = E2Offset; offset < MOffset; offset += 2)
        {
            switch (BinaryPrimitives.ReadInt16LittleEndian(encapsState2080[offset..]))
            {
                case 0 or -1:
                    continue;
                case 1 or 2 or -2:
                    return false;
                case 0x0100 or 0x0200 or unchecked((short)0xFEFF):
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    private static short ReadInt16(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadInt16BigEndian(bytes) : BinaryPrimitives.ReadInt16LittleEndian(bytes);

    private static void Fill(RandomNumberGenerator? rng, Span<byte> buffer)
    {
        if (rng is null)
        {
            RandomNumberGenerator.Fill(buffer);
        }
        else
        {
            rng.GetBytes(buffer);
        }
    }

    private static void RequireLength(ReadOnlySpan<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"expected {length} bytes, got {value.Length}", name);
        }
    }
}

/// <summary>Output of <see cref="IncrementalMlKem768.Generate(ReadOnlySpan{byte})"/>.</summary>
internal sealed record KeyMaterial(byte[] Header64, byte[] EncapsulationKey1152, byte[] DecapsulationKey2400);

/// <summary>Output of <see cref="IncrementalMlKem768.Encaps1(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.</summary>
internal sealed record Encaps1Result(byte[] Ct1, byte[] EncapsState2080, byte[] SharedSecret32);
