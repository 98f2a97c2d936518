using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using SignalSharp.Interop.Testing;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Auth;
using SignalSharp.ZkGroup.Groups;
using SignalSharp.ZkGroup.GroupSend;

namespace SignalSharp.Bench.ZkGroup;

/// <summary>
/// The zkgroup client operations a group send and a group fetch need, in C# against libsignal 0.100.0 in the same
/// run. Each libsignal benchmark is one oracle call repeating the operation inside node (see interop/oracle/zkgroup.mjs
/// <c>zkgroup.loop</c>, which builds fixtures of the same shape: 100 members, one auth credential) and is the baseline
/// of its category, so the Ratio column is C# time / libsignal time.
/// Run: <c>dotnet run -c Release --project bench/SignalSharp.Bench -- --filter '*ZkGroupBenchmarks*'</c>.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ZkGroupBenchmarks
{
    private const int NodeBatch = 50;
    private const long Day = 86400;

    private NodeOracle oracle = null!;
    private ServerPublicParams serverPublic = null!;
    private GroupSecretParams group = null!;
    private ClientZkGroupCipher cipher = null!;
    private ZkServiceId[] members = null!;
    private UuidCiphertext memberCiphertext = null!;
    private ProfileKeyCiphertext profileKeyCiphertext = null!;
    private AuthCredentialWithPni credential = null!;
    private GroupSendEndorsementsResponse response = null!;
    private GroupSendEndorsement combined = null!;
    private UuidCiphertext[] memberCiphertexts = null!;
    private ulong expiration;

    [GlobalSetup]
    public void Setup()
    {
        oracle = NodeOracle.StartAsync().GetAwaiter().GetResult();
        var server = Call("zkgroup.serverParams", new JsonObject { ["random"] = B64(RandomNumberGenerator.GetBytes(32)) })!;
        serverPublic = ServerPublicParams.Deserialize(Convert.FromBase64String(server["serverPublic"]!.GetValue<string>()));
        group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        cipher = new ClientZkGroupCipher(group);
        members = [.. Enumerable.Range(0, 100).Select(_ => ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16)))];
        memberCiphertext = cipher.EncryptServiceId(members[1]);
        profileKeyCiphertext = cipher.EncryptProfileKey(RandomNumberGenerator.GetBytes(32), members[0]);

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        expiration = (ulong)(((now / Day) + 2) * Day);
        var memberIds = new JsonArray([.. members.Select(m => (JsonNode)B64(m.ToBinary()))]);
        response = GroupSendEndorsementsResponse.Deserialize(Bytes(Call("zkgroup.issueEndorsements", new JsonObject
        {
            ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
            ["secretParams"] = B64(group.Serialize()),
            ["members"] = memberIds,
            ["expiration"] = (long)expiration,
            ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
        })));
        memberCiphertexts = [.. members.Select(cipher.EncryptServiceId)];
        combined = response.ReceiveWithServiceIds(members, members[0], group, serverPublic, DateTimeOffset.UtcNow).Combined;

        var pni = ZkServiceId.Pni(RandomNumberGenerator.GetBytes(16));
        var redemption = now / Day * Day;
        var authResponse = AuthCredentialWithPniResponse.Deserialize(Bytes(Call("zkgroup.issueAuthCredential", new JsonObject
        {
            ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
            ["aci"] = B64(members[0].ToBinary()),
            ["pni"] = B64(pni.ToBinary()),
            ["redemptionTime"] = redemption,
            ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
        })));
        credential = authResponse.Receive(members[0], pni, (ulong)redemption, serverPublic);
    }

    [GlobalCleanup]
    public void Cleanup() => oracle.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = NodeBatch)]
    [BenchmarkCategory("encrypt service id")]
    public void LibsignalEncryptServiceId() => NodeLoop("encryptServiceId");

    [Benchmark]
    [BenchmarkCategory("encrypt service id")]
    public UuidCiphertext CSharpEncryptServiceId() => cipher.EncryptServiceId(members[1]);

    [Benchmark(Baseline = true, OperationsPerInvoke = NodeBatch)]
    [BenchmarkCategory("decrypt service id")]
    public void LibsignalDecryptServiceId() => NodeLoop("decryptServiceId");

    [Benchmark]
    [BenchmarkCategory("decrypt service id")]
    public ZkServiceId CSharpDecryptServiceId() => cipher.DecryptServiceId(memberCiphertext);

    [Benchmark(Baseline = true, OperationsPerInvoke = NodeBatch)]
    [BenchmarkCategory("decrypt profile key")]
    public void LibsignalDecryptProfileKey() => NodeLoop("decryptProfileKey");

    [Benchmark]
    [BenchmarkCategory("decrypt profile key")]
    public byte[] CSharpDecryptProfileKey() => cipher.DecryptProfileKey(profileKeyCiphertext, members[0]);

    [Benchmark(Baseline = true, OperationsPerInvoke = NodeBatch)]
    [BenchmarkCategory("auth presentation")]
    public void LibsignalAuthPresentation() => NodeLoop("authPresentation");

    [Benchmark]
    [BenchmarkCategory("auth presentation")]
    public byte[] CSharpAuthPresentation() => credential.Present(serverPublic, group);

    [Benchmark(Baseline = true, OperationsPerInvoke = NodeBatch / 5)]
    [BenchmarkCategory("receive endorsements (100 members)")]
    public void LibsignalReceiveEndorsements() => NodeLoop("receiveEndorsements100", NodeBatch / 5);

    [Benchmark]
    [BenchmarkCategory("receive endorsements (100 members)")]
    public GroupSendEndorsement CSharpReceiveEndorsements() =>
        response.ReceiveWithServiceIds(members, members[0], group, serverPublic, DateTimeOffset.UtcNow).Combined;

    /// <summary>What a client holding the group state does: the members' ciphertexts are already there.</summary>
    [Benchmark]
    [BenchmarkCategory("receive endorsements (100 members)")]
    public GroupSendEndorsement CSharpReceiveEndorsementsFromCiphertexts() =>
        response.ReceiveWithCiphertexts(memberCiphertexts, memberCiphertexts[0], serverPublic, DateTimeOffset.UtcNow).Combined;

    [Benchmark(Baseline = true, OperationsPerInvoke = NodeBatch)]
    [BenchmarkCategory("full token")]
    public void LibsignalFullToken() => NodeLoop("fullToken");

    [Benchmark]
    [BenchmarkCategory("full token")]
    public GroupSendFullToken CSharpFullToken() => combined.ToFullToken(group, expiration);

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    private static byte[] Bytes(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());

    private JsonNode? Call(string op, JsonObject args) => oracle.CallAsync(op, args).GetAwaiter().GetResult();

    private void NodeLoop(string op, int n = NodeBatch) => Call("zkgroup.loop", new JsonObject { ["op"] = op, ["n"] = n });

    private sealed class Config : ManualConfig
    {
        // In process: on the shared machine, building BenchmarkDotNet's generated project for a separate process
        // overran its two-minute build timeout. Five iterations rather than ShortRun's three, for the load.
        public Config() => AddJob(Job.ShortRun.WithIterationCount(5)
            .WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
    }
}
