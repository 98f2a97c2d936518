using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Storage;
using SignalSharp.Protocol.Tests.SenderKeys;
using static SignalSharp.Protocol.Tests.SenderKeys.NodeMember;

namespace SignalSharp.Protocol.Tests.SealedSender;

/// <summary>
/// Sealed sender v1 (0x11) both ways with content that needs no 1:1 session: sender-key group messages and
/// PlaintextContent resend requests, plus the USMC bytes themselves.
/// </summary>
public sealed class SealedSenderV1InteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private static ProtocolAddress NewAddress(uint device) => new(Guid.NewGuid().ToString(), device);

    internal static InMemoryIdentityKeyStore NewIdentityStore(out IdentityKeyPair pair)
    {
        pair = IdentityKeyPair.Generate();
        return new InMemoryIdentityKeyStore(pair, KeyHelper.GenerateRegistrationId());
    }

    [Fact]
    public async Task Node_seals_a_group_message_and_csharp_opens_it_and_decrypts_the_content()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var node = await NodeMember.CreateAsync(oracle, NewAddress(2));
        var me = NewAddress(1);
        var identities = NewIdentityStore(out var mine);
        await node.TrustAsync(me, mine.PublicKey);
        var certificate = await ca.IssueInNodeAsync(oracle, node.Address.Name, node.Address.DeviceId, node.IdentityKey, e164: "+15550001111");

        var distributionId = Guid.NewGuid();
        var skdm = await node.CallBytesAsync("sealed.sk.create", new JsonObject { ["distributionId"] = distributionId.ToString() });
        var senderKeys = new InMemorySenderKeyStore();
        await new GroupSessionBuilder(senderKeys).ProcessAsync(node.Address, SenderKeyDistributionMessage.Deserialize(skdm));
        byte[] groupId = [1, 2, 3, 4, 5, 6, 7, 8];
        var usmc = await node.CallBytesAsync("sealed.usmc.group", new JsonObject
        {
            ["distributionId"] = distributionId.ToString(),
            ["plaintext"] = B64("sealed group hello"u8),
            ["senderCertificate"] = B64(certificate),
            ["contentHint"] = 1,
            ["groupId"] = B64(groupId),
        });
        var sealedBytes = await node.CallBytesAsync("sealed.v1.encrypt", new JsonObject { ["recipient"] = Json(me), ["usmc"] = B64(usmc) });
        Assert.Equal(0x11, sealedBytes[0]);

        var content = await new SealedSenderCipher(identities).DecryptToUsmcAsync(sealedBytes);
        Assert.Equal(CiphertextMessageType.SenderKey, content.MessageType);
        Assert.Equal(ContentHint.Resendable, content.ContentHint);
        Assert.Equal(groupId, content.GroupId);
        Assert.Equal(node.Address.Name, content.SenderCertificate.SenderUuid);
        Assert.Equal(node.Address.DeviceId, content.SenderCertificate.SenderDeviceId);
        Assert.Equal("+15550001111", content.SenderCertificate.SenderE164);
        Assert.True(content.SenderCertificate.Validate(ca.Root.PublicKey, CertificateAuthority.Now));
        Assert.Equal(usmc, content.Serialize());
        var sender = new ProtocolAddress(content.SenderCertificate.SenderUuid, content.SenderCertificate.SenderDeviceId);
        Assert.Equal("sealed group hello"u8.ToArray(), await new GroupCipher(senderKeys).DecryptAsync(sender, content.Content));
    }

    [Fact]
    public async Task Csharp_seals_a_group_message_and_node_opens_it_and_decrypts_the_content()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var me = NewAddress(3);
        var identities = NewIdentityStore(out var mine);
        var node = await NodeMember.CreateAsync(oracle, NewAddress(1));
        await identities.SaveIdentityAsync(node.Address, new IdentityKey(node.IdentityKey));

        var senderKeys = new InMemorySenderKeyStore();
        var distributionId = Guid.NewGuid();
        var skdm = await new GroupSessionBuilder(senderKeys).CreateAsync(me, distributionId);
        await node.CallAsync("sealed.sk.process", new JsonObject { ["sender"] = Json(me), ["skdm"] = B64(skdm.Serialize()) });
        var message = await new GroupCipher(senderKeys).EncryptAsync(me, distributionId, "from C#, sealed"u8.ToArray());
        var certificate = ca.Issue(me.Name, me.DeviceId, mine.PublicKey);
        byte[] groupId = [9, 9, 9];
        var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, certificate, message.Serialize(), ContentHint.Implicit, groupId);

        var sealedBytes = await new SealedSenderCipher(identities).EncryptAsync(node.Address, content);
        Assert.Equal(0x11, sealedBytes[0]);
        var opened = (await node.CallAsync("sealed.decryptToUsmc", new JsonObject { ["message"] = B64(sealedBytes) }))!;
        Assert.Equal(7, opened["type"]!.GetValue<int>());
        Assert.Equal(2, opened["contentHint"]!.GetValue<int>());
        Assert.Equal(groupId, Bytes(opened["groupId"]));
        Assert.Equal(me.Name, opened["senderUuid"]!.GetValue<string>());
        Assert.Equal(content.Serialize(), Bytes(opened["serialized"]));
        var plaintext = await node.CallBytesAsync("sealed.sk.decrypt", new JsonObject { ["sender"] = Json(me), ["message"] = opened["content"]!.DeepClone() });
        Assert.Equal("from C#, sealed"u8.ToArray(), plaintext);
    }

    [Fact]
    public async Task Plaintext_resend_requests_travel_sealed_both_ways()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var node = await NodeMember.CreateAsync(oracle, NewAddress(4));
        var me = NewAddress(5);
        var identities = NewIdentityStore(out var mine);
        await node.TrustAsync(me, mine.PublicKey);
        await identities.SaveIdentityAsync(node.Address, new IdentityKey(node.IdentityKey));

        // A resend request for a failed sender-key message, made by node.
        var original = await SenderKeyMessageAsync(me);
        var certificate = await ca.IssueInNodeAsync(oracle, node.Address.Name, node.Address.DeviceId, node.IdentityKey);
        var usmc = await oracle.CallBytesAsync("sealed.usmc.plaintext", new JsonObject
        {
            ["original"] = B64(original),
            ["originalType"] = 7,
            ["timestamp"] = 1_700_000_000_123,
            ["originalDevice"] = me.DeviceId,
            ["senderCertificate"] = B64(certificate),
        });
        var sealedBytes = await node.CallBytesAsync("sealed.v1.encrypt", new JsonObject { ["recipient"] = Json(me), ["usmc"] = B64(usmc) });
        var content = await new SealedSenderCipher(identities).DecryptToUsmcAsync(sealedBytes);
        Assert.Equal(CiphertextMessageType.Plaintext, content.MessageType);
        var plaintextContent = PlaintextContent.Deserialize(content.Content);
        var request = PlaintextContent.ExtractDecryptionErrorMessage(plaintextContent.Body);
        Assert.Equal(1_700_000_000_123ul, request.Timestamp);
        Assert.Equal(me.DeviceId, request.DeviceId);
        Assert.Null(request.RatchetKey);

        // The same request made in C#: byte-identical to node's, and node reads it after C# seals it.
        var ours = PlaintextContent.From(DecryptionErrorMessage.ForOriginal(original, CiphertextMessageType.SenderKey, 1_700_000_000_123, me.DeviceId));
        Assert.Equal(content.Content, ours.Serialize());
        var myContent = new UnidentifiedSenderMessageContent(CiphertextMessageType.Plaintext, ca.Issue(me.Name, me.DeviceId, mine.PublicKey), ours.Serialize());
        var back = await new SealedSenderCipher(identities).EncryptAsync(node.Address, myContent);
        var opened = (await node.CallAsync("sealed.decryptToUsmc", new JsonObject { ["message"] = B64(back) }))!;
        Assert.Equal(8, opened["type"]!.GetValue<int>());
        var parsed = (await oracle.CallAsync("sealed.plaintext.parse", new JsonObject { ["content"] = opened["content"]!.DeepClone() }))!;
        Assert.Equal(1_700_000_000_123ul, parsed["timestamp"]!.GetValue<ulong>());
        Assert.Equal(me.DeviceId, parsed["deviceId"]!.GetValue<uint>());
    }

    [Fact]
    public async Task Tampered_or_misaddressed_envelopes_are_rejected()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var me = NewAddress(6);
        var identities = NewIdentityStore(out var mine);
        var other = NewIdentityStore(out _);
        var node = await NodeMember.CreateAsync(oracle, NewAddress(7));
        await identities.SaveIdentityAsync(node.Address, new IdentityKey(node.IdentityKey));
        var content = new UnidentifiedSenderMessageContent(
            CiphertextMessageType.SenderKey, ca.Issue(me.Name, me.DeviceId, mine.PublicKey), await SenderKeyMessageAsync(me));
        var sealedBytes = await new SealedSenderCipher(identities).EncryptAsync(node.Address, content);

        var tampered = (byte[])sealedBytes.Clone();
        tampered[^3] ^= 0x40;
        await Assert.ThrowsAsync<OracleException>(() => node.CallAsync("sealed.decryptToUsmc", new JsonObject { ["message"] = B64(tampered) }));

        // Sealed by node for C#, then altered or opened by the wrong recipient.
        await node.TrustAsync(me, mine.PublicKey);
        var fromNode = await node.CallBytesAsync("sealed.v1.encrypt", new JsonObject { ["recipient"] = Json(me), ["usmc"] = B64(content.Serialize()) });
        var altered = (byte[])fromNode.Clone();
        altered[^1] ^= 1;
        await Assert.ThrowsAsync<InvalidSealedSenderMessageException>(() => new SealedSenderCipher(identities).DecryptToUsmcAsync(altered));
        await Assert.ThrowsAsync<InvalidSealedSenderMessageException>(() => new SealedSenderCipher(other).DecryptToUsmcAsync(fromNode));
        await Assert.ThrowsAsync<InvalidSealedSenderMessageException>(() => new SealedSenderCipher(identities).DecryptToUsmcAsync(new byte[] { 0x51, 1, 2 }));

        // A certificate naming another identity than the one that sealed: node and C# both refuse.
        var impostor = new UnidentifiedSenderMessageContent(
            CiphertextMessageType.SenderKey, ca.Issue(me.Name, me.DeviceId, ECKeyPair.Generate().PublicKey), await SenderKeyMessageAsync(me));
        var lying = await new SealedSenderCipher(identities).EncryptAsync(node.Address, impostor);
        await Assert.ThrowsAsync<OracleException>(() => node.CallAsync("sealed.decryptToUsmc", new JsonObject { ["message"] = B64(lying) }));
        var lyingNode = await node.CallBytesAsync("sealed.v1.encrypt", new JsonObject { ["recipient"] = Json(me), ["usmc"] = B64(impostor.Serialize()) });
        await Assert.ThrowsAsync<InvalidSealedSenderMessageException>(() => new SealedSenderCipher(identities).DecryptToUsmcAsync(lyingNode));

        await Assert.ThrowsAsync<NoSessionException>(() => new SealedSenderCipher(identities).EncryptAsync(NewAddress(1), content));
    }

    internal static async Task<byte[]> SenderKeyMessageAsync(ProtocolAddress sender)
    {
        var store = new InMemorySenderKeyStore();
        var distributionId = Guid.NewGuid();
        await new GroupSessionBuilder(store).CreateAsync(sender, distributionId);
        return (await new GroupCipher(store).EncryptAsync(sender, distributionId, "inner"u8.ToArray())).Serialize();
    }
}
