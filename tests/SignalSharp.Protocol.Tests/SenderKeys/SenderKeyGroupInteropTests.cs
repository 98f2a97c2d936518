using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Storage;
using static SignalSharp.Protocol.Tests.SenderKeys.NodeMember;

namespace SignalSharp.Protocol.Tests.SenderKeys;

/// <summary>
/// A 100-member group, half libsignal (node) and half C#: every member distributes its sender key to the 99
/// others, sends two messages, and every member decrypts every other member's messages (the second before the
/// first for some, so skipped keys are exercised on both sides).
/// </summary>
public sealed class SenderKeyGroupInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private const int NodeMembers = 50;
    private const int CSharpMembers = 50;

    private sealed record CSharpMember(ProtocolAddress Address, InMemorySenderKeyStore Store);

    [Fact]
    public async Task Everyone_decrypts_everything_in_a_mixed_group_of_100()
    {
        var oracle = await fixture.GetAsync();
        var distributionId = Guid.NewGuid();
        var dist = distributionId.ToString();
        var nodes = new List<NodeMember>();
        for (var i = 0; i < NodeMembers; i++)
        {
            nodes.Add(await NodeMember.CreateAsync(oracle, new ProtocolAddress(Guid.NewGuid().ToString(), (uint)(1 + (i % 5)))));
        }

        var csharps = Enumerable.Range(0, CSharpMembers)
            .Select(i => new CSharpMember(new ProtocolAddress(Guid.NewGuid().ToString(), (uint)(1 + (i % 7))), new InMemorySenderKeyStore()))
            .ToList();

        // 1. Every member creates its distribution message.
        var senders = new List<(ProtocolAddress Address, byte[] Skdm)>();
        var created = await BatchAsync(oracle, nodes.Select(n => n.Call("sealed.sk.create", new JsonObject { ["distributionId"] = dist })));
        senders.AddRange(nodes.Select((n, i) => (n.Address, Bytes(created[i]))));
        foreach (var c in csharps)
        {
            senders.Add((c.Address, (await new GroupSessionBuilder(c.Store).CreateAsync(c.Address, distributionId)).Serialize()));
        }

        // 2. Every member processes the 99 others'.
        await BatchAsync(oracle, nodes.SelectMany(n => senders.Where(s => s.Address != n.Address)
            .Select(s => n.Call("sealed.sk.process", new JsonObject { ["sender"] = Json(s.Address), ["skdm"] = B64(s.Skdm) }))));
        foreach (var c in csharps)
        {
            var builder = new GroupSessionBuilder(c.Store);
            foreach (var s in senders.Where(s => s.Address != c.Address))
            {
                await builder.ProcessAsync(s.Address, SenderKeyDistributionMessage.Deserialize(s.Skdm));
            }
        }

        // 3. Every member sends two messages.
        static string Text(ProtocolAddress a, int n) => $"message {n} from {a.Name}.{a.DeviceId}";
        var sent = new List<(ProtocolAddress Sender, byte[] First, byte[] Second)>();
        var nodeSends = await BatchAsync(oracle, nodes.SelectMany(n => new[] { 1, 2 }.Select(k =>
            n.Call("sealed.sk.encrypt", new JsonObject { ["distributionId"] = dist, ["plaintext"] = B64(Encoding.UTF8.GetBytes(Text(n.Address, k))) }))));
        sent.AddRange(nodes.Select((n, i) => (n.Address, Bytes(nodeSends[2 * i]), Bytes(nodeSends[(2 * i) + 1]))));
        foreach (var c in csharps)
        {
            var cipher = new GroupCipher(c.Store);
            var first = await cipher.EncryptAsync(c.Address, distributionId, Encoding.UTF8.GetBytes(Text(c.Address, 1)));
            var second = await cipher.EncryptAsync(c.Address, distributionId, Encoding.UTF8.GetBytes(Text(c.Address, 2)));
            sent.Add((c.Address, first.Serialize(), second.Serialize()));
        }

        // 4. Everyone decrypts everything; odd senders' messages are read newest first.
        var expected = new List<string>();
        var calls = new List<JsonObject>();
        foreach (var n in nodes)
        {
            foreach (var (s, i) in sent.Select((s, i) => (s, i)).Where(x => x.s.Sender != n.Address))
            {
                var order = i % 2 == 0 ? new[] { (1, s.First), (2, s.Second) } : [(2, s.Second), (1, s.First)];
                foreach (var (k, message) in order)
                {
                    calls.Add(n.Call("sealed.sk.decrypt", new JsonObject { ["sender"] = Json(s.Sender), ["message"] = B64(message) }));
                    expected.Add(Text(s.Sender, k));
                }
            }
        }

        var decrypted = await BatchAsync(oracle, calls);
        Assert.Equal(expected, decrypted.Select(d => Encoding.UTF8.GetString(Bytes(d))));

        var csharpDecryptions = 0;
        foreach (var c in csharps)
        {
            var cipher = new GroupCipher(c.Store);
            foreach (var (s, i) in sent.Select((s, i) => (s, i)).Where(x => x.s.Sender != c.Address))
            {
                var order = i % 2 == 0 ? new[] { (1, s.First), (2, s.Second) } : [(2, s.Second), (1, s.First)];
                foreach (var (k, message) in order)
                {
                    Assert.Equal(Text(s.Sender, k), Encoding.UTF8.GetString(await cipher.DecryptAsync(s.Sender, message)));
                    csharpDecryptions++;
                }
            }
        }

        Assert.Equal(NodeMembers * 99 * 2, expected.Count);
        Assert.Equal(CSharpMembers * 99 * 2, csharpDecryptions);
    }

    private static async Task<List<JsonNode?>> BatchAsync(NodeOracle oracle, IEnumerable<JsonObject> calls)
    {
        var array = new JsonArray([.. calls]);
        var results = (await oracle.CallAsync("sealed.batch", new JsonObject { ["calls"] = array }))!.AsArray();
        var values = new List<JsonNode?>();
        foreach (var r in results)
        {
            if (r!["ok"]!.GetValue<bool>() != true)
            {
                throw new OracleException("sealed.batch", r["error"]?.ToString() ?? "failed");
            }

            values.Add(r["result"]);
        }

        return values;
    }
}
