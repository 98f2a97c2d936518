using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Storage;
using static SignalSharp.Protocol.Tests.SenderKeys.NodeMember;

namespace SignalSharp.Protocol.Tests.SenderKeys;

/// <summary>Sender keys against libsignal 0.100.0 in both directions, including the stored record bytes.</summary>
public sealed class SenderKeyInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private static ProtocolAddress NewAddress(uint device) => new(Guid.NewGuid().ToString(), device);

    [Fact]
    public async Task Node_sender_distributes_and_csharp_decrypts_in_any_order()
    {
        var oracle = await fixture.GetAsync();
        var node = await NodeMember.CreateAsync(oracle, NewAddress(3));
        var distributionId = Guid.NewGuid();
        var skdm = await node.CallBytesAsync("sealed.sk.create", new JsonObject { ["distributionId"] = distributionId.ToString() });
        var store = new InMemorySenderKeyStore();
        await new GroupSessionBuilder(store).ProcessAsync(node.Address, SenderKeyDistributionMessage.Deserialize(skdm));

        var messages = new List<byte[]>();
        for (var i = 0; i < 6; i++)
        {
            messages.Add(await node.CallBytesAsync("sealed.sk.encrypt", new JsonObject
            {
                ["distributionId"] = distributionId.ToString(),
                ["plaintext"] = B64(Encoding.UTF8.GetBytes($"from node {i}")),
            }));
        }

        var cipher = new GroupCipher(store);
        foreach (var i in new[] { 2, 0, 5, 1, 4, 3 })
        {
            var parsed = SenderKeyMessage.Deserialize(messages[i]);
            Assert.Equal(distributionId, parsed.DistributionId);
            Assert.Equal((uint)i, parsed.Iteration);
            Assert.Equal($"from node {i}", Encoding.UTF8.GetString(await cipher.DecryptAsync(node.Address, messages[i])));
        }

        await Assert.ThrowsAsync<DuplicateSenderKeyMessageException>(() => cipher.DecryptAsync(node.Address, messages[3]));
    }

    [Fact]
    public async Task Csharp_sender_distributes_and_node_decrypts_and_verifies()
    {
        var oracle = await fixture.GetAsync();
        var sender = NewAddress(1);
        var node = await NodeMember.CreateAsync(oracle, NewAddress(2));
        var store = new InMemorySenderKeyStore();
        var distributionId = Guid.NewGuid();
        var skdm = await new GroupSessionBuilder(store).CreateAsync(sender, distributionId);

        var nodeView = (await oracle.CallAsync("sealed.sk.parseSkdm", new JsonObject { ["skdm"] = B64(skdm.Serialize()) }))!;
        Assert.Equal(distributionId.ToString(), nodeView["distributionId"]!.GetValue<string>());
        Assert.Equal(skdm.ChainId, nodeView["chainId"]!.GetValue<uint>());
        Assert.Equal(skdm.ChainKey, Bytes(nodeView["chainKey"]));
        await node.CallAsync("sealed.sk.process", new JsonObject { ["sender"] = Json(sender), ["skdm"] = B64(skdm.Serialize()) });

        var cipher = new GroupCipher(store);
        var messages = new List<SenderKeyMessage>();
        for (var i = 0; i < 5; i++)
        {
            messages.Add(await cipher.EncryptAsync(sender, distributionId, Encoding.UTF8.GetBytes($"from C# {i}")));
        }

        var parsed = (await oracle.CallAsync("sealed.sk.parseMessage", new JsonObject
        {
            ["message"] = B64(messages[1].Serialize()),
            ["signingKey"] = B64(skdm.SigningKey.Serialize()),
        }))!;
        Assert.True(parsed["signatureValid"]!.GetValue<bool>());
        Assert.Equal(1u, parsed["iteration"]!.GetValue<uint>());
        Assert.Equal(messages[1].Ciphertext, Bytes(parsed["ciphertext"]));

        foreach (var i in new[] { 4, 0, 2, 1, 3 })
        {
            var plaintext = await node.CallBytesAsync("sealed.sk.decrypt", new JsonObject { ["sender"] = Json(sender), ["message"] = B64(messages[i].Serialize()) });
            Assert.Equal($"from C# {i}", Encoding.UTF8.GetString(plaintext));
        }

        var replay = await Assert.ThrowsAsync<OracleException>(() =>
            node.CallAsync("sealed.sk.decrypt", new JsonObject { ["sender"] = Json(sender), ["message"] = B64(messages[0].Serialize()) }));
        Assert.Contains("DuplicatedMessage", replay.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_are_byte_compatible_with_libsignal()
    {
        var oracle = await fixture.GetAsync();
        var node = await NodeMember.CreateAsync(oracle, NewAddress(4));
        var distributionId = Guid.NewGuid();
        var skdm = await node.CallBytesAsync("sealed.sk.create", new JsonObject { ["distributionId"] = distributionId.ToString() });

        // Receiving side: the record C# stores after processing equals the one libsignal stores.
        var csharp = new InMemorySenderKeyStore();
        await new GroupSessionBuilder(csharp).ProcessAsync(node.Address, SenderKeyDistributionMessage.Deserialize(skdm));
        var receiver = await NodeMember.CreateAsync(oracle, NewAddress(5));
        await receiver.CallAsync("sealed.sk.process", new JsonObject { ["sender"] = Json(node.Address), ["skdm"] = B64(skdm) });
        var nodeRecord = await receiver.CallBytesAsync("sealed.sk.record", new JsonObject { ["sender"] = Json(node.Address), ["distributionId"] = distributionId.ToString() });
        Assert.Equal(nodeRecord, (await csharp.LoadSenderKeyAsync(node.Address, distributionId))!.Serialize());

        // Sending side: C# takes over node's own chain (with its private signing key) and keeps sending on it.
        var ownRecord = await node.CallBytesAsync("sealed.sk.record", new JsonObject { ["sender"] = Json(node.Address), ["distributionId"] = distributionId.ToString() });
        var takenOver = new InMemorySenderKeyStore();
        await takenOver.StoreSenderKeyAsync(node.Address, distributionId, SenderKeyRecord.Deserialize(ownRecord));
        var message = await new GroupCipher(takenOver).EncryptAsync(node.Address, distributionId, "continued"u8.ToArray());
        var plaintext = await receiver.CallBytesAsync("sealed.sk.decrypt", new JsonObject { ["sender"] = Json(node.Address), ["message"] = B64(message.Serialize()) });
        Assert.Equal("continued"u8.ToArray(), plaintext);

        // And node continues a chain C# created.
        var csharpSender = NewAddress(6);
        var csharpStore = new InMemorySenderKeyStore();
        var ownSkdm = await new GroupSessionBuilder(csharpStore).CreateAsync(csharpSender, distributionId);
        await new GroupCipher(csharpStore).EncryptAsync(csharpSender, distributionId, "first"u8.ToArray());
        var nodeSender = await NodeMember.CreateAsync(oracle, csharpSender);
        await nodeSender.CallAsync("sealed.sk.setRecord", new JsonObject
        {
            ["sender"] = Json(csharpSender),
            ["distributionId"] = distributionId.ToString(),
            ["record"] = B64((await csharpStore.LoadSenderKeyAsync(csharpSender, distributionId))!.Serialize()),
        });
        var fromNode = await nodeSender.CallBytesAsync("sealed.sk.encrypt", new JsonObject { ["distributionId"] = distributionId.ToString(), ["plaintext"] = B64("second"u8) });
        var receiverStore = new InMemorySenderKeyStore();
        await new GroupSessionBuilder(receiverStore).ProcessAsync(csharpSender, ownSkdm);
        Assert.Equal(1u, SenderKeyMessage.Deserialize(fromNode).Iteration);
        Assert.Equal("second"u8.ToArray(), await new GroupCipher(receiverStore).DecryptAsync(csharpSender, fromNode));
    }

    [Fact]
    public async Task Record_rules_match_libsignal_for_repeated_rekeyed_and_excess_chains()
    {
        var oracle = await fixture.GetAsync();
        var sender = NewAddress(9);
        var distributionId = Guid.NewGuid();
        var node = await NodeMember.CreateAsync(oracle, NewAddress(10));
        var store = new InMemorySenderKeyStore();
        var builder = new GroupSessionBuilder(store);

        // Seven chains, a repeat of the second, and the first chain id again under a new signing key.
        var chains = new List<SenderKeyDistributionMessage>();
        for (var i = 0; i < 7; i++)
        {
            chains.Add(await new GroupSessionBuilder(new InMemorySenderKeyStore()).CreateAsync(sender, distributionId));
        }

        var sequence = new List<SenderKeyDistributionMessage>(chains) { chains[5] };
        var rekeyed = (await oracle.CallBytesAsync("sealed.sk.newSkdm", new JsonObject
        {
            ["distributionId"] = distributionId.ToString(), ["chainId"] = chains[4].ChainId, ["iteration"] = 7,
            ["chainKey"] = B64(chains[4].ChainKey), ["signingKey"] = B64(Crypto.ECKeyPair.Generate().PublicKey.Serialize()),
        }));
        sequence.Add(SenderKeyDistributionMessage.Deserialize(rekeyed));
        foreach (var skdm in sequence)
        {
            await builder.ProcessAsync(sender, skdm);
            await node.CallAsync("sealed.sk.process", new JsonObject { ["sender"] = Json(sender), ["skdm"] = B64(skdm.Serialize()) });
            var nodeRecord = await node.CallBytesAsync("sealed.sk.record", new JsonObject { ["sender"] = Json(sender), ["distributionId"] = distributionId.ToString() });
            Assert.Equal(nodeRecord, (await store.LoadSenderKeyAsync(sender, distributionId))!.Serialize());
        }

        Assert.Equal(SenderKeyRecord.MaxStates, SenderKeyRecord.Deserialize((await store.LoadSenderKeyAsync(sender, distributionId))!.Serialize()).States.Count);
    }

    [Fact]
    public async Task Node_rejects_a_far_jump_from_csharp_like_csharp_does()
    {
        var oracle = await fixture.GetAsync();
        var sender = NewAddress(7);
        var store = new InMemorySenderKeyStore();
        var distributionId = Guid.NewGuid();
        var skdm = await new GroupSessionBuilder(store).CreateAsync(sender, distributionId);
        var node = await NodeMember.CreateAsync(oracle, NewAddress(8));
        await node.CallAsync("sealed.sk.process", new JsonObject { ["sender"] = Json(sender), ["skdm"] = B64(skdm.Serialize()) });

        var record = (await store.LoadSenderKeyAsync(sender, distributionId))!;
        var key = new SenderChainKey(0, skdm.ChainKey);
        while (key.Iteration < GroupCipher.MaxForwardJumps + 1)
        {
            key = key.Next();
        }

        record.Current!.ChainKey = key;
        await store.StoreSenderKeyAsync(sender, distributionId, record);
        var far = await new GroupCipher(store).EncryptAsync(sender, distributionId, "far"u8.ToArray());
        var error = await Assert.ThrowsAsync<OracleException>(() =>
            node.CallAsync("sealed.sk.decrypt", new JsonObject { ["sender"] = Json(sender), ["message"] = B64(far.Serialize()) }));
        Assert.Contains("too far into the future", error.Message, StringComparison.Ordinal);
    }
}
