using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SignalSharp.Crypto;

namespace SignalSharp.Bench.Crypto;

/// <summary>
/// XEdDSA, X25519 and Kyber1024 against libsignal. Run with
/// <c>dotnet run -c Release --project bench/SignalSharp.Bench -- --filter '*CryptoBenchmarks*'</c>.
/// Node exposes no Kyber encapsulate/decapsulate, so only Kyber key generation has a libsignal figure.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private readonly byte[] message = Enumerable.Repeat((byte)7, 100).ToArray();
    private ECKeyPair pair = null!;
    private ECPublicKey other = null!;
    private byte[] signature = null!;
    private KemKeyPair kem = null!;
    private byte[] ciphertext = null!;

    [GlobalSetup]
    public void Setup()
    {
        pair = ECKeyPair.Generate();
        other = ECKeyPair.Generate().PublicKey;
        signature = pair.PrivateKey.CalculateSignature(message);
        kem = KemKeyPair.Generate();
        ciphertext = kem.PublicKey.Encapsulate().Ciphertext;
    }

    [Benchmark]
    [NodeOp("sign")]
    public byte[] XEdDsaSign() => pair.PrivateKey.CalculateSignature(message);

    [Benchmark]
    [NodeOp("verify")]
    public bool XEdDsaVerify() => pair.PublicKey.VerifySignature(message, signature);

    [Benchmark]
    [NodeOp("agree")]
    public byte[] X25519Agree() => pair.PrivateKey.CalculateAgreement(other);

    [Benchmark]
    [NodeOp("kemGenerate")]
    public KemKeyPair KyberGenerate() => KemKeyPair.Generate();

    [Benchmark]
    public KemEncapsulation KyberEncapsulate() => kem.PublicKey.Encapsulate();

    [Benchmark]
    public byte[] KyberDecapsulate() => kem.SecretKey.Decapsulate(ciphertext);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(BenchmarkDotNet.Jobs.Job.ShortRun);
            AddColumn(new NodeRatioColumn(ratio: false), new NodeRatioColumn(ratio: true));
        }
    }
}
