using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.Messages;

namespace SignalSharp.Bench.Protocol;

/// <summary>
/// 1:1 sessions, SignalSharp against libsignal 0.100 (node, via interop/oracle/session.mjs) in the same run:
/// encrypt+decrypt of one 159-byte message on an established session with SPQR running (the direction flips every
/// 10 messages, so the SPQR braid keeps advancing), and a PQXDH session setup (bundle processing, first PreKey
/// message, its decryption by the responder; fresh session stores, no one-time prekey). libsignal is the baseline
/// of each category, so the Ratio column is SignalSharp's time over libsignal's. Node's numbers include one pipe
/// round trip per invocation, spread over the operations of that invocation.
/// Run: dotnet run -c Release --project bench/SignalSharp.Bench -- --filter '*SessionBenchmarks*'
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class SessionBenchmarks
{
    /// <summary>
    /// In-process: the node oracle is started by the benchmark itself, and on this shared machine building a
    /// separate benchmark executable can exceed BenchmarkDotNet's build timeout.
    /// </summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10));
    }

    private const int MessagesPerInvoke = 100;
    private const int Burst = 10;
    private const int SetupsPerInvoke = 5;

    private readonly byte[] plaintext = new byte[159];
    private NodeOracle oracle = null!;
    private SessionBenchParty alice = null!;
    private SessionBenchParty bob = null!;
    private SessionBenchParty setupAlice = null!;
    private SessionBenchParty setupBob = null!;
    private SignalSharp.Protocol.PreKeyBundle setupBundle = null!;
    private int counter;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        oracle = await NodeOracle.StartAsync();
        await oracle.CallAsync("session.benchInit", new JsonObject { ["size"] = plaintext.Length });

        alice = new SessionBenchParty("9d0652a3-dcc3-4d11-975f-74d61598733f");
        bob = new SessionBenchParty("796abedb-ca4e-4f18-8803-1fde5b921f9f");
        await alice.Builder.ProcessPreKeyBundleAsync(bob.Address, await bob.CreateReusableBundleAsync());
        await bob.Cipher.DecryptAsync(alice.Address, await alice.Cipher.EncryptAsync(bob.Address, plaintext));
        await alice.Cipher.DecryptAsync(bob.Address, await bob.Cipher.EncryptAsync(alice.Address, plaintext));

        setupAlice = new SessionBenchParty("d2a5a7a0-3b43-4a4b-8e4e-0c0bd7a3e6a1");
        setupBob = new SessionBenchParty("0ab3f7c2-5b7f-4c1c-9d54-6a2e1f0b8c11");
        setupBundle = await setupBob.CreateReusableBundleAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await oracle.DisposeAsync();

    /// <summary>What the receiver has: the wire bytes, parsed again (node's side does the same).</summary>
    private static CiphertextMessage Received(CiphertextMessage message) => message switch
    {
        PreKeySignalMessage => PreKeySignalMessage.Deserialize(message.Serialize()),
        _ => SignalMessage.Deserialize(message.Serialize()),
    };

    [Benchmark(Baseline = true, OperationsPerInvoke = MessagesPerInvoke)]
    [BenchmarkCategory("EncryptDecrypt")]
    public Task<JsonNode?> Libsignal_message() =>
        oracle.CallAsync("session.benchMessages", new JsonObject { ["n"] = MessagesPerInvoke, ["burst"] = Burst });

    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    [BenchmarkCategory("EncryptDecrypt")]
    public async Task SignalSharp_message()
    {
        for (var i = 0; i < MessagesPerInvoke; i++, counter++)
        {
            var (from, to) = counter / Burst % 2 == 0 ? (alice, bob) : (bob, alice);
            var message = await from.Cipher.EncryptAsync(to.Address, plaintext);
            await to.Cipher.DecryptAsync(from.Address, Received(message));
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SetupsPerInvoke)]
    [BenchmarkCategory("PqxdhSetup")]
    public Task<JsonNode?> Libsignal_setup() =>
        oracle.CallAsync("session.benchSetups", new JsonObject { ["n"] = SetupsPerInvoke });

    [Benchmark(OperationsPerInvoke = SetupsPerInvoke)]
    [BenchmarkCategory("PqxdhSetup")]
    public async Task SignalSharp_setup()
    {
        for (var i = 0; i < SetupsPerInvoke; i++)
        {
            setupAlice.Reset();
            setupBob.Reset();
            await setupAlice.Builder.ProcessPreKeyBundleAsync(setupBob.Address, setupBundle);
            var first = await setupAlice.Cipher.EncryptAsync(setupBob.Address, plaintext);
            await setupBob.Cipher.DecryptAsync(setupAlice.Address, Received(first));
        }
    }
}
