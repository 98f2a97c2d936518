using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SignalSharp.Spqr.Encoding;
using SignalSharp.Spqr.Kem;

namespace SignalSharp.Bench.Spqr;

/// <summary>
/// SPQR's maths: split ML-KEM-768 (ours) next to libsodium's native ML-KEM-768 as the reference point (node's
/// libsignal exposes no ML-KEM-768 to time), and the erasure code on an ek-sized (1152-byte) message.
/// Run: <c>dotnet run -c Release --project bench/SignalSharp.Bench -- --filter '*SpqrMath*'</c>.
/// </summary>
[MemoryDiagnoser]
public class SpqrMathBenchmarks
{
    private byte[] seed = [];
    private byte[] m = [];
    private byte[] header = [];
    private byte[] dk = [];
    private byte[] ct1 = [];
    private byte[] es = [];
    private byte[] ct2 = [];
    private byte[] sodiumPk = [];
    private byte[] sodiumSk = [];
    private byte[] sodiumCt = [];
    private byte[] ek = [];
    private (ushort Index, byte[] Chunk)[] parityChunks = [];
    private (ushort Index, byte[] Chunk)[] systematicChunks = [];

    /// <summary>Platform (OpenSSL) SHA-3 versus BouncyCastle's managed Keccak; no effect on the erasure code.</summary>
    [Params(true, false)]
    public bool PlatformSha3 { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KemSampling.UsePlatformSha3 = PlatformSha3 && KemSampling.PlatformSha3Available;
        this.seed = RandomNumberGenerator.GetBytes(64);
        m = RandomNumberGenerator.GetBytes(32);
        var keys = IncrementalMlKem768.Generate(this.seed);
        header = keys.Header64;
        dk = keys.DecapsulationKey2400;
        this.ek = keys.EncapsulationKey1152;
        var encaps1 = IncrementalMlKem768.Encaps1(header, m);
        ct1 = encaps1.Ct1;
        es = encaps1.EncapsState2080;
        this.ct2 = IncrementalMlKem768.Encaps2(this.ek, es);

        if (NativeMethods.sodium_init() < 0)
        {
            throw new InvalidOperationException("sodium_init failed");
        }

        sodiumPk = new byte[1184];
        sodiumSk = new byte[2400];
        NativeMethods.crypto_kem_mlkem768_seed_keypair(sodiumPk, sodiumSk, this.seed);
        sodiumCt = new byte[1088];
        NativeMethods.crypto_kem_mlkem768_enc_deterministic(sodiumCt, new byte[32], sodiumPk, m);

        var encoder = new PolyEncoder(this.ek);
        systematicChunks = Enumerable.Range(0, 36).Select(i => encoder.NextChunk()).ToArray();
        parityChunks = Enumerable.Range(0, 36).Select(i => encoder.NextChunk()).ToArray();
    }

    [Benchmark]
    public byte[] KeyGen() => IncrementalMlKem768.Generate(this.seed).DecapsulationKey2400;

    [Benchmark]
    public byte[] Encaps1() => IncrementalMlKem768.Encaps1(header, m).Ct1;

    [Benchmark]
    public byte[] Encaps2() => IncrementalMlKem768.Encaps2(this.ek, es);

    [Benchmark]
    public byte[] Decaps() => IncrementalMlKem768.Decaps(dk, ct1, this.ct2);

    [Benchmark]
    public byte[] Encaps1Encaps2Decaps()
    {
        var e1 = IncrementalMlKem768.Encaps1(header, m);
        var ct2 = IncrementalMlKem768.Encaps2(this.ek, e1.EncapsState2080);
        return IncrementalMlKem768.Decaps(dk, e1.Ct1, ct2);
    }

    [Benchmark]
    public bool ValidateEk() => IncrementalMlKem768.EncapsulationKeyMatchesHeader(this.ek, header);

    [Benchmark]
    public short SampleMatrix()
    {
        Span<short> matrix = stackalloc short[9 * 256];
        KemSampling.SampleMatrix(header.AsSpan(0, 32), transposed: false, matrix);
        return matrix[0];
    }

    [Benchmark]
    public short SampleCbdTimesSeven()
    {
        Span<short> f = stackalloc short[256];
        for (byte i = 0; i < 7; i++)
        {
            KemSampling.SampleCbd(m, i, f);
        }

        return f[0];
    }

    [Benchmark]
    public short NttTimesSix()
    {
        Span<short> f = stackalloc short[256];
        for (int i = 0; i < 6; i++)
        {
            f.Fill(5);
            KemArithmetic.Ntt(f);
        }

        return f[0];
    }

    [Benchmark(Description = "libsodium keygen (native reference)")]
    public int SodiumKeyGen() => NativeMethods.crypto_kem_mlkem768_seed_keypair(sodiumPk, new byte[2400], this.seed);

    [Benchmark(Description = "libsodium enc+dec (native reference)")]
    public int SodiumEncDec()
    {
        var ct = new byte[1088];
        var ss = new byte[32];
        NativeMethods.crypto_kem_mlkem768_enc_deterministic(ct, ss, sodiumPk, m);
        return NativeMethods.crypto_kem_mlkem768_dec(ss, ct, sodiumSk);
    }

    [Benchmark]
    public ushort EncodeSystematicEk()
    {
        var encoder = new PolyEncoder(this.ek);
        ushort last = 0;
        for (int i = 0; i < 36; i++)
        {
            last = encoder.NextChunk().Index;
        }

        return last;
    }

    [Benchmark]
    public ushort EncodeEkWithTenParityChunks()
    {
        var encoder = new PolyEncoder(this.ek);
        ushort last = 0;
        for (int i = 0; i < 46; i++)
        {
            last = encoder.NextChunk().Index;
        }

        return last;
    }

    [Benchmark]
    public byte[]? DecodeEkFromSystematicChunks()
    {
        var decoder = new PolyDecoder(1152);
        foreach (var (index, chunk) in systematicChunks)
        {
            decoder.AddChunk(index, chunk);
        }

        return decoder.TryDecode();
    }

    [Benchmark]
    public byte[]? DecodeEkFromParityChunks()
    {
        var decoder = new PolyDecoder(1152);
        foreach (var (index, chunk) in parityChunks)
        {
            decoder.AddChunk(index, chunk);
        }

        return decoder.TryDecode();
    }

    private static class NativeMethods
    {
        [DllImport("libsodium", CallingConvention = CallingConvention.Cdecl)]
        public static extern int sodium_init();

        [DllImport("libsodium", CallingConvention = CallingConvention.Cdecl)]
        public static extern int crypto_kem_mlkem768_seed_keypair(byte[] pk, byte[] sk, byte[] seed);

        [DllImport("libsodium", CallingConvention = CallingConvention.Cdecl)]
        public static extern int crypto_kem_mlkem768_enc_deterministic(byte[] ct, byte[] ss, byte[] pk, byte[] seed);

        [DllImport("libsodium", CallingConvention = CallingConvention.Cdecl)]
        public static extern int crypto_kem_mlkem768_dec(byte[] ss, byte[] ct, byte[] sk);
    }
}
