using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.Storage;
using SignalSharp.Protocol.Tests.SenderKeys;
using static SignalSharp.Protocol.Tests.SenderKeys.NodeMember;

namespace SignalSharp.Protocol.Tests.SealedSender;

/// <summary>
/// Sealed sender v2: the 0x23 SentMessage made by one side is split by libsignal's server-side parser, and each
/// 0x22 ReceivedMessage is opened by the other side.
/// </summary>
public sealed class SealedSenderV2InteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private sealed record CSharpRecipient(ProtocolAddress Address, InMemoryIdentityKeyStore Store, IdentityKeyPair Pair);

    [Fact]
    public async Task Node_multi_recipient_message_opens_in_csharp_for_every_recipient()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var sender = await NodeMember.CreateAsync(oracle, new ProtocolAddress(Guid.NewGuid().ToString(), 1));
        var certificate = await ca.IssueInNodeAsync(oracle, sender.Address.Name, 1, sender.IdentityKey);

        // Three C# recipients, the first with two devices. Node needs sessions with them to learn their registration
        // ids, so node-side stand-ins holding the same identity keys publish the bundles.
        var recipients = new List<CSharpRecipient>();
        var addresses = new List<ProtocolAddress>();
        var registrationIds = new Dictionary<ProtocolAddress, uint>();
        for (var i = 0; i < 3; i++)
        {
            var store = SealedSenderV1InteropTests.NewIdentityStore(out var pair);
            var name = Guid.NewGuid().ToString();
            recipients.Add(new CSharpRecipient(new ProtocolAddress(name, 1), store, pair));
            foreach (var device in i == 0 ? new uint[] { 1, 2 } : [1])
            {
                var address = new ProtocolAddress(name, device);
                var standIn = await NodeMember.CreateAsync(oracle, address, pair.PrivateKey, registrationId: (uint)(100 + (i * 10) + device));
                var bundle = await standIn.CallAsync("sealed.member.bundle", new JsonObject());
                await sender.CallAsync("sealed.member.processBundle", new JsonObject { ["remote"] = Json(address), ["bundle"] = bundle!.DeepClone() });
                addresses.Add(address);
                registrationIds[address] = standIn.RegistrationId;
            }
        }

        var distributionId = Guid.NewGuid();
        await sender.CallAsync("sealed.sk.create", new JsonObject { ["distributionId"] = distributionId.ToString() });
        var usmc = await sender.CallBytesAsync("sealed.usmc.group", new JsonObject
        {
            ["distributionId"] = distributionId.ToString(),
            ["plaintext"] = B64("to everyone"u8),
            ["senderCertificate"] = B64(certificate),
            ["contentHint"] = 1,
            ["groupId"] = B64([4, 2]),
        });
        var excluded = "PNI:" + Guid.NewGuid();
        var sent = await sender.CallBytesAsync("sealed.v2.encrypt", new JsonObject
        {
            ["usmc"] = B64(usmc),
            ["recipients"] = new JsonArray([.. addresses.Select(a => (JsonNode)Json(a))]),
            ["excluded"] = new JsonArray(excluded),
        });
        Assert.Equal(0x23, sent[0]);
        var split = (await oracle.CallAsync("sealed.v2.split", new JsonObject { ["sent"] = B64(sent) }))!;
        Assert.Equal([excluded], split["excluded"]!.AsArray().Select(e => e!.GetValue<string>()));

        foreach (var recipient in recipients)
        {
            var entry = split["recipients"]![recipient.Address.Name]!;
            var devices = entry["deviceIds"]!.AsArray().Select(d => d!.GetValue<uint>()).ToList();
            Assert.Equal(devices.Select(d => registrationIds[new ProtocolAddress(recipient.Address.Name, d)]), entry["registrationIds"]!.AsArray().Select(r => r!.GetValue<uint>()));
            var received = Bytes(entry["message"]);
            Assert.Equal(0x22, received[0]);
            var content = await new SealedSenderCipher(recipient.Store).DecryptToUsmcAsync(received);
            Assert.Equal(usmc, content.Serialize());
            Assert.Equal(CiphertextMessageType.SenderKey, content.MessageType);
            Assert.Equal(sender.Address.Name, content.SenderCertificate.SenderUuid);
        }

        Assert.Equal([1u, 2u], split["recipients"]![recipients[0].Address.Name]!["deviceIds"]!.AsArray().Select(d => d!.GetValue<uint>()));

        // A message for one recipient opens only for that recipient.
        var forFirst = Bytes(split["recipients"]![recipients[0].Address.Name]!["message"]);
        await Assert.ThrowsAsync<InvalidSealedSenderMessageException>(() => new SealedSenderCipher(recipients[1].Store).DecryptToUsmcAsync(forFirst));
    }

    [Fact]
    public async Task Csharp_multi_recipient_message_is_split_by_node_and_opens_for_node_recipients()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var me = new ProtocolAddress(Guid.NewGuid().ToString(), 2);
        var identities = SealedSenderV1InteropTests.NewIdentityStore(out var mine);
        var nodes = new List<NodeMember>();
        for (var i = 0; i < 4; i++)
        {
            nodes.Add(await NodeMember.CreateAsync(oracle, new ProtocolAddress(Guid.NewGuid().ToString(), (uint)(1 + i)), registrationId: (uint)(0x3FFF - i)));
        }

        // The last recipient has a second device (same identity): one entry with two devices.
        var secondDevice = await NodeMember.CreateAsync(oracle, nodes[3].Address with { DeviceId = 9 }, nodes[3].IdentityPrivate, registrationId: 77);
        var recipients = nodes.Select(n => new SealedSenderV2Recipient(n.Address.Name, n.IdentityKey,
            n == nodes[3] ? [(n.Address.DeviceId, n.RegistrationId), (9u, 77u)] : [(n.Address.DeviceId, n.RegistrationId)])).ToList();
        var excluded = new[] { Guid.NewGuid().ToString(), "PNI:" + Guid.NewGuid() };
        var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, ca.Issue(me.Name, me.DeviceId, mine.PublicKey),
            await SealedSenderV1InteropTests.SenderKeyMessageAsync(me), ContentHint.Resendable, [7, 7, 7]);

        var sent = await new SealedSenderCipher(identities).MultiRecipientEncryptAsync(recipients, content, excluded);
        Assert.Equal(0x23, sent[0]);
        var split = (await oracle.CallAsync("sealed.v2.split", new JsonObject { ["sent"] = B64(sent) }))!;
        Assert.Equal(excluded, split["excluded"]!.AsArray().Select(e => e!.GetValue<string>()));
        foreach (var (node, recipient) in nodes.Zip(recipients))
        {
            var entry = split["recipients"]![node.Address.Name]!;
            Assert.Equal(recipient.Devices.Select(d => d.DeviceId), entry["deviceIds"]!.AsArray().Select(d => d!.GetValue<uint>()));
            Assert.Equal(recipient.Devices.Select(d => d.RegistrationId), entry["registrationIds"]!.AsArray().Select(d => d!.GetValue<uint>()));
            var opened = (await node.CallAsync("sealed.decryptToUsmc", new JsonObject { ["message"] = entry["message"]!.DeepClone() }))!;
            Assert.Equal(content.Serialize(), Bytes(opened["serialized"]));
        }

        var viaSecondDevice = (await secondDevice.CallAsync("sealed.decryptToUsmc", new JsonObject
        {
            ["message"] = split["recipients"]![nodes[3].Address.Name]!["message"]!.DeepClone(),
        }))!;
        Assert.Equal(1, viaSecondDevice["contentHint"]!.GetValue<int>());

        // libsignal's single-recipient shortcut gives the same received message the split does.
        var single = await new SealedSenderCipher(identities).MultiRecipientEncryptAsync([recipients[0]], content);
        var received = await oracle.CallBytesAsync("sealed.v2.single", new JsonObject { ["sent"] = B64(single) });
        var direct = (await nodes[0].CallAsync("sealed.decryptToUsmc", new JsonObject { ["message"] = B64(received) }))!;
        Assert.Equal(content.Serialize(), Bytes(direct["serialized"]));
    }

    [Fact]
    public async Task A_certificate_for_someone_else_fails_the_authentication_tag_on_both_sides()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var me = new ProtocolAddress(Guid.NewGuid().ToString(), 1);
        var identities = SealedSenderV1InteropTests.NewIdentityStore(out _);
        var node = await NodeMember.CreateAsync(oracle, new ProtocolAddress(Guid.NewGuid().ToString(), 1));
        var impostor = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, ca.Issue(me.Name, 1, ECKeyPair.Generate().PublicKey),
            await SealedSenderV1InteropTests.SenderKeyMessageAsync(me));
        var sent = await new SealedSenderCipher(identities).MultiRecipientEncryptAsync(
            [new SealedSenderV2Recipient(node.Address.Name, node.IdentityKey, [(1u, 1u)])], impostor);
        var received = await oracle.CallBytesAsync("sealed.v2.single", new JsonObject { ["sent"] = B64(sent) });
        await Assert.ThrowsAsync<OracleException>(() => node.CallAsync("sealed.decryptToUsmc", new JsonObject { ["message"] = B64(received) }));

        // Registration ids must fit in 14 bits.
        await Assert.ThrowsAsync<InvalidRegistrationIdException>(() => new SealedSenderCipher(identities).MultiRecipientEncryptAsync(
            [new SealedSenderV2Recipient(node.Address.Name, node.IdentityKey, [(1u, 0x4000u)])], impostor));

        // Node seals for a C# recipient with a certificate that is not the sender's: C# refuses it.
        var csharpStore = SealedSenderV1InteropTests.NewIdentityStore(out var csharpPair);
        var recipient = new ProtocolAddress(Guid.NewGuid().ToString(), 1);
        var standIn = await NodeMember.CreateAsync(oracle, recipient, csharpPair.PrivateKey);
        var bundle = await standIn.CallAsync("sealed.member.bundle", new JsonObject());
        await node.CallAsync("sealed.member.processBundle", new JsonObject { ["remote"] = Json(recipient), ["bundle"] = bundle!.DeepClone() });
        var fromNode = await node.CallBytesAsync("sealed.v2.encrypt", new JsonObject
        {
            ["usmc"] = B64(impostor.Serialize()),
            ["recipients"] = new JsonArray(Json(recipient)),
        });
        var forMe = await oracle.CallBytesAsync("sealed.v2.single", new JsonObject { ["sent"] = B64(fromNode) });
        var error = await Assert.ThrowsAsync<InvalidSealedSenderMessageException>(() => new SealedSenderCipher(csharpStore).DecryptToUsmcAsync(forMe));
        Assert.Contains("authentication tag", error.Message, StringComparison.Ordinal);
    }
}
