using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Bench.Crypto;

/// <summary>
/// XEdDSA, X25519 and Kyber1024 in C# against libsignal 0.100.0 in the same run. Each libsignal benchmark is one
/// oracle call that repeats the operation <see cref="NodeBatch"/> times inside node (so the IPC cost is amortised to
/// well under 1% of an operation) and is the baseline of its category: the Ratio column is C# time / libsignal time.
/// Node exposes no Kyber encapsulate/decapsulate, so those two have no libsignal baseline.
/// Run: <c>dotnet run -c Release --project bench/SignalSharp.Bench -- --filter '*CryptoBenchmarks*'</c>.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CryptoBenchmarks
{
    private const int NodeBatch = 500;

    private readonly byte[] message = Enumerable.Repeat((byte)7, 100).ToArray();
    private ECKeyPair pair = null!;
    private ECPublicKey other = null!;
    private byte[] signature = null!;
    private KemKeyPair kem = null!;
    private byte[] ciphertext = null!;
    private NodeOracle oracle = null!;

    [GlobalSetup]
    public void Setup()
    {
        pair = ECKeyPair.Generate();
        other = ECKeyPair.Generate().PublicKey;
        signature = pair.PrivateKey.CalculateSignature(message);
        kem = KemKeyPair.Generate();
        ciphertext = kem.PublicKey.Encapsulate().Ciphertext;
        oracle = NodeOracle.StartAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => oracle.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = NodeBatch)]
    [BenchmarkCategory("XEdDSA sign")]
    public void LibsignalSign() => NodeLoop("sign");

    [Benchmark]
    [BenchmarkCategory("XEdDSA sign")]
    public byte[] CSharpSign() => pair.PrivateKey.CalculateSignature(message);

    [Benchmark(Baseline = true, OperationsPerInvoke = NodeBatch)]
    [BenchmarkCategory("XEdDSA verify")]
    public void LibsignalVerify() => NodeLoop("verify");

    [Benchmark]
    [BenchmarkCategory("XEdDSA verify")]
    public bool CSharpVerify() => pair.PublicKey.VerifySignature(message, signature);

    [Benchmark(Baseline = true, OperationsPerInvoke = NodeBatch)]
    [BenchmarkCategory("X25519")]
    public void LibsignalAgree() => NodeLoop("agree");

    [Benchmark]
    [BenchmarkCategory("X25519")]
    public byte[] CSharpAgree() => pair.PrivateKey.CalculateAgreement(other);

    [Benchmark(Baseline = true, OperationsPerInvoke = NodeBatch / 5)]
    [BenchmarkCategory("Kyber1024 keygen")]
    public void LibsignalKemGenerate() => NodeLoop("kemGenerate", NodeBatch / 5);

    [Benchmark]
    [BenchmarkCategory("Kyber1024 keygen")]
    public KemKeyPair CSharpKemGenerate() => KemKeyPair.Generate();

    [Benchmark]
    [BenchmarkCategory("Kyber1024 encaps")]
    public KemEncapsulation CSharpKemEncapsulate() => kem.PublicKey.Encapsulate();

    [Benchmark]
    [BenchmarkCategory("Kyber1024 decaps")]
    public byte[] CSharpKemDecapsulate() => kem.SecretKey.Decapsulate(ciphertext);

    private void NodeLoop(string op, int n = NodeBatch) =>
        oracle.CallAsync("crypto.loop", new JsonObject { ["op"] = op, ["n"] = n }).GetAwaiter().GetResult();

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(BenchmarkDotNet.Jobs.Job.ShortRun);
    }
}
