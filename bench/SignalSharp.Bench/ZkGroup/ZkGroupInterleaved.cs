using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Auth;
using SignalSharp.ZkGroup.Groups;
using SignalSharp.ZkGroup.GroupSend;

namespace SignalSharp.Bench.ZkGroup;

/// <summary>
/// The <see cref="ZkGroupBenchmarks"/> operations, C# and libsignal (node) alternating operation by operation for
/// many rounds, so that the load of a shared machine hits both sides alike: per operation the median and the minimum
/// over the rounds. `zkgroup-interleaved [ROUNDS]` (default 15).
/// </summary>
public static class ZkGroupInterleaved
{
    private const long Day = 86400;

    public static async Task RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
        await using var oracle = await NodeOracle.StartAsync();
        JsonNode? Call(string op, JsonObject a) => oracle.CallAsync(op, a).GetAwaiter().GetResult();
        static string B64(byte[] b) => Convert.ToBase64String(b);
        static byte[] Bytes(JsonNode? n) => Convert.FromBase64String(n!.GetValue<string>());

        var server = Call("zkgroup.serverParams", new JsonObject { ["random"] = B64(RandomNumberGenerator.GetBytes(32)) })!;
        var serverSecret = server["serverSecret"]!.GetValue<string>();
        var serverPublic = ServerPublicParams.Deserialize(Bytes(server["serverPublic"]));
        var group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        var cipher = new ClientZkGroupCipher(group);
        var members = Enumerable.Range(0, 100).Select(_ => ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16))).ToArray();
        var memberCiphertext = cipher.EncryptServiceId(members[1]);
        var profileKeyCiphertext = cipher.EncryptProfileKey(RandomNumberGenerator.GetBytes(32), members[0]);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expiration = (ulong)(((now / Day) + 2) * Day);
        var response = GroupSendEndorsementsResponse.Deserialize(Bytes(Call("zkgroup.issueEndorsements", new JsonObject
        {
            ["serverSecret"] = serverSecret,
            ["secretParams"] = B64(group.Serialize()),
            ["members"] = new JsonArray([.. members.Select(m => (JsonNode)B64(m.ToBinary()))]),
            ["expiration"] = (long)expiration,
            ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
        })));
        var memberCiphertexts = members.Select(cipher.EncryptServiceId).ToArray();
        var combined = response.ReceiveWithServiceIds(members, members[0], group, serverPublic, DateTimeOffset.UtcNow).Combined;
        var pni = ZkServiceId.Pni(RandomNumberGenerator.GetBytes(16));
        var redemption = now / Day * Day;
        var credential = AuthCredentialWithPniResponse.Deserialize(Bytes(Call("zkgroup.issueAuthCredential", new JsonObject
        {
            ["serverSecret"] = serverSecret,
            ["aci"] = B64(members[0].ToBinary()),
            ["pni"] = B64(pni.ToBinary()),
            ["redemptionTime"] = redemption,
            ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
        }))).Receive(members[0], pni, (ulong)redemption, serverPublic);

        var ops = new (string Name, string NodeOp, int N, Action CSharp)[]
        {
            ("encrypt service id", "encryptServiceId", 50, () => cipher.EncryptServiceId(members[1])),
            ("decrypt service id", "decryptServiceId", 50, () => cipher.DecryptServiceId(memberCiphertext)),
            ("decrypt profile key", "decryptProfileKey", 50, () => cipher.DecryptProfileKey(profileKeyCiphertext, members[0])),
            ("auth credential presentation", "authPresentation", 20, () => credential.Present(serverPublic, group)),
            ("full token", "fullToken", 50, () => combined.ToFullToken(group, expiration)),
            ("receive 100, from service ids", "receiveEndorsements100", 10, () => response.ReceiveWithServiceIds(members, members[0], group, serverPublic, DateTimeOffset.UtcNow)),
            ("receive 100, from ciphertexts", "receiveEndorsements100", 10, () => response.ReceiveWithCiphertexts(memberCiphertexts, memberCiphertexts[0], serverPublic, DateTimeOffset.UtcNow)),
        };
        var csharp = ops.Select(_ => new List<double>()).ToArray();
        var libsignal = ops.Select(_ => new List<double>()).ToArray();

        // Two warm-up rounds, not counted.
        for (var r = -2; r < rounds; r++)
        {
            for (var k = 0; k < ops.Length; k++)
            {
                var (_, nodeOp, n, act) = ops[k];
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < n; i++)
                {
                    act();
                }

                var c = sw.Elapsed.TotalMicroseconds / n;
                sw.Restart();
                Call("zkgroup.loop", new JsonObject { ["op"] = nodeOp, ["n"] = n });
                var j = sw.Elapsed.TotalMicroseconds / n;
                if (r >= 0)
                {
                    csharp[k].Add(c);
                    libsignal[k].Add(j);
                }
            }
        }

        static double Median(List<double> l) => l.Order().ElementAt(l.Count / 2);
        Console.WriteLine("| operation | C# median µs | libsignal median µs | ratio of medians | C# min | libsignal min | ratio of minima |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        for (var k = 0; k < ops.Length; k++)
        {
            var (c, j) = (csharp[k], libsignal[k]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {ops[k].Name} | {Median(c):F0} | {Median(j):F0} | {Median(c) / Median(j):F2} | {c.Min():F0} | {j.Min():F0} | {c.Min() / j.Min():F2} |"));
        }
    }
}
