using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Storage;
using SignalSharp.Protocol.Tests.SenderKeys;
using SignalSharp.Protocol.Tests.Sessions.Support;
using static SignalSharp.Protocol.Tests.SenderKeys.NodeMember;

namespace SignalSharp.Protocol.Tests.SealedSender;

/// <summary>
/// The full sealed-sender flow over real 1:1 sessions (PQXDH + triple ratchet) with libsignal, both directions,
/// the typed failures a receive pipeline acts on, and a group send: sender keys distributed sealed 1:1, then one
/// v2 message for all members.
/// </summary>
public sealed class SealedSessionInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private sealed class Me
    {
        public Me(CertificateAuthority ca)
        {
            Party = new Party(Guid.NewGuid().ToString(), 2);
            SenderKeys = new InMemorySenderKeyStore();
            Cipher = new SealedSessionCipher(Party.Sessions, Party.Identities, Party.PreKeys, Party.SignedPreKeys, Party.KyberPreKeys, SenderKeys, Party.Address);
            Certificate = ca.Issue(Party.Address.Name, Party.Address.DeviceId, Party.Identity.PublicKey);
        }

        public Party Party { get; }

        public InMemorySenderKeyStore SenderKeys { get; }

        public SealedSessionCipher Cipher { get; }

        public SenderCertificate Certificate { get; }

        public ProtocolAddress Address => Party.Address;
    }

    [Fact]
    public async Task Csharp_starts_a_session_and_both_sides_talk_sealed()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var me = new Me(ca);
        var node = await NodeMember.CreateAsync(oracle, new ProtocolAddress(Guid.NewGuid().ToString(), 1));
        var nodeCertificate = await ca.IssueInNodeAsync(oracle, node.Address.Name, 1, node.IdentityKey, e164: "+15557654321");
        await me.Party.Builder.ProcessPreKeyBundleAsync(node.Address, await NodeBundleAsync(node));

        for (var round = 0; round < 4; round++)
        {
            var sealedBytes = await me.Cipher.EncryptAsync(node.Address, Encoding.UTF8.GetBytes($"c# {round}"), me.Certificate);
            var opened = (await node.CallAsync("sealed.decryptMessage", new JsonObject
            {
                ["message"] = B64(sealedBytes), ["trustRoot"] = B64(ca.Root.PublicKey.Serialize()), ["time"] = CertificateAuthority.Now,
            }))!;
            Assert.Equal($"c# {round}", Encoding.UTF8.GetString(Bytes(opened["plaintext"])));
            Assert.Equal(me.Address.Name, opened["uuid"]!.GetValue<string>());
            Assert.Equal(me.Address.DeviceId, opened["device"]!.GetValue<uint>());

            var reply = await node.CallBytesAsync("sealed.v1.encryptMessage", new JsonObject
            {
                ["recipient"] = Json(me.Address), ["plaintext"] = B64(Encoding.UTF8.GetBytes($"node {round}")), ["senderCertificate"] = B64(nodeCertificate),
            });
            var result = await me.Cipher.DecryptAsync(reply, [ca.Root.PublicKey], CertificateAuthority.Now);
            Assert.Equal($"node {round}", Encoding.UTF8.GetString(result.Plaintext));
            Assert.Equal(CiphertextMessageType.Whisper, result.MessageType);
            Assert.Equal(node.Address, result.SenderAddress);
            Assert.Equal("+15557654321", result.SenderE164);
        }
    }

    [Fact]
    public async Task Node_starts_a_session_with_a_sealed_prekey_message()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var me = new Me(ca);
        var node = await NodeMember.CreateAsync(oracle, new ProtocolAddress(Guid.NewGuid().ToString(), 3));
        var nodeCertificate = await ca.IssueInNodeAsync(oracle, node.Address.Name, 3, node.IdentityKey);
        var bundle = await me.Party.CreateBundleAsync();
        await node.CallAsync("sealed.member.processBundle", new JsonObject { ["remote"] = Json(me.Address), ["bundle"] = BundleJson(bundle) });

        var first = await node.CallBytesAsync("sealed.v1.encryptMessage", new JsonObject
        {
            ["recipient"] = Json(me.Address), ["plaintext"] = B64("hello, sealed prekey"u8), ["senderCertificate"] = B64(nodeCertificate),
        });
        var result = await me.Cipher.DecryptAsync(first, [ca.Root.PublicKey], CertificateAuthority.Now);
        Assert.Equal(CiphertextMessageType.PreKey, result.MessageType);
        Assert.Equal("hello, sealed prekey"u8.ToArray(), result.Plaintext);

        var reply = await me.Cipher.EncryptAsync(node.Address, "and back"u8.ToArray(), me.Certificate);
        var opened = (await node.CallAsync("sealed.decryptMessage", new JsonObject
        {
            ["message"] = B64(reply), ["trustRoot"] = B64(ca.Root.PublicKey.Serialize()), ["time"] = CertificateAuthority.Now,
        }))!;
        Assert.Equal("and back"u8.ToArray(), Bytes(opened["plaintext"]));

        // The same sealed message again: the sender is known, so the failure says who and what it was.
        var replay = await Assert.ThrowsAsync<SealedSenderDecryptionException>(() => me.Cipher.DecryptAsync(first, [ca.Root.PublicKey], CertificateAuthority.Now));
        Assert.Equal(node.Address.Name, replay.SenderUuid);
        Assert.Equal(Guid.Parse(node.Address.Name), replay.SenderAci);
        Assert.Equal(3u, replay.SenderDeviceId);
        Assert.Equal(CiphertextMessageType.PreKey, replay.MessageType);
        Assert.True(replay.SenderValidated);
        Assert.IsAssignableFrom<ProtocolException>(replay.InnerException);

        // A resend request for a failed 1:1 message names the ratchet key of that message.
        var resend = replay.CreateResendRequest(42);
        Assert.Equal(PreKeySignalMessage.Deserialize(replay.Content.Content).Message.SenderRatchetKey, resend.RatchetKey);
        Assert.Equal(3u, resend.DeviceId);
        var nodeUsmc = await oracle.CallBytesAsync("sealed.usmc.plaintext", new JsonObject
        {
            ["original"] = B64(replay.Content.Content), ["originalType"] = 3, ["timestamp"] = 42, ["originalDevice"] = 3,
            ["senderCertificate"] = B64(me.Certificate.Serialize()),
        });
        Assert.Equal(UnidentifiedSenderMessageContent.Deserialize(nodeUsmc).Content, PlaintextContent.From(resend).Serialize());
    }

    [Fact]
    public async Task Failures_carry_the_sender_and_lead_to_a_resend_request()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var me = new Me(ca);
        var node = await NodeMember.CreateAsync(oracle, new ProtocolAddress(Guid.NewGuid().ToString(), 4));
        await node.TrustAsync(me.Address, me.Party.Identity.PublicKey);
        await me.Party.Identities.SaveIdentityAsync(node.Address, new IdentityKey(node.IdentityKey));
        var nodeCertificate = await ca.IssueInNodeAsync(oracle, node.Address.Name, 4, node.IdentityKey);

        // A group message whose sender key we never received.
        var distributionId = Guid.NewGuid();
        await node.CallAsync("sealed.sk.create", new JsonObject { ["distributionId"] = distributionId.ToString() });
        byte[] groupId = [0xAB, 0xCD];
        var usmc = await node.CallBytesAsync("sealed.usmc.group", new JsonObject
        {
            ["distributionId"] = distributionId.ToString(), ["plaintext"] = B64("lost"u8), ["senderCertificate"] = B64(nodeCertificate),
            ["contentHint"] = 1, ["groupId"] = B64(groupId),
        });
        var sealedBytes = await node.CallBytesAsync("sealed.v1.encrypt", new JsonObject { ["recipient"] = Json(me.Address), ["usmc"] = B64(usmc) });
        var failure = await Assert.ThrowsAsync<SealedSenderDecryptionException>(() => me.Cipher.DecryptAsync(sealedBytes, [ca.Root.PublicKey], CertificateAuthority.Now));
        Assert.IsType<NoSenderKeyStateException>(failure.InnerException);
        Assert.Equal(ContentHint.Resendable, failure.ContentHint);
        Assert.Equal(groupId, failure.GroupId);
        Assert.Equal(node.Address.Name, failure.SenderUuid);
        Assert.Equal(4u, failure.SenderDeviceId);
        Assert.Equal(CiphertextMessageType.SenderKey, failure.MessageType);

        // The pipeline answers with a resend request, sealed back to the sender; libsignal reads it.
        var request = failure.CreateResendRequest(1_700_000_000_999);
        var answer = new UnidentifiedSenderMessageContent(CiphertextMessageType.Plaintext, me.Certificate, PlaintextContent.From(request).Serialize(), ContentHint.Implicit);
        var sealedAnswer = await new SealedSenderCipher(me.Party.Identities).EncryptAsync(node.Address, answer);
        var opened = (await node.CallAsync("sealed.decryptToUsmc", new JsonObject { ["message"] = B64(sealedAnswer) }))!;
        var parsed = (await oracle.CallAsync("sealed.plaintext.parse", new JsonObject { ["content"] = opened["content"]!.DeepClone() }))!;
        Assert.Equal(1_700_000_000_999ul, parsed["timestamp"]!.GetValue<ulong>());
        Assert.Equal(4u, parsed["deviceId"]!.GetValue<uint>());

        // An expired certificate: the sender is named but not vouched for.
        var expired = await ca.IssueInNodeAsync(oracle, node.Address.Name, 4, node.IdentityKey, expiration: CertificateAuthority.Now - 1000);
        var stale = await node.CallBytesAsync("sealed.usmc.plaintext", new JsonObject
        {
            ["original"] = B64(await SealedSenderV1InteropTests.SenderKeyMessageAsync(me.Address)), ["originalType"] = 7, ["timestamp"] = 1,
            ["originalDevice"] = 1, ["senderCertificate"] = B64(expired),
        });
        var staleSealed = await node.CallBytesAsync("sealed.v1.encrypt", new JsonObject { ["recipient"] = Json(me.Address), ["usmc"] = B64(stale) });
        var invalid = await Assert.ThrowsAsync<SealedSenderDecryptionException>(() => me.Cipher.DecryptAsync(staleSealed, [ca.Root.PublicKey], CertificateAuthority.Now));
        Assert.IsType<InvalidCertificateException>(invalid.InnerException);
        Assert.False(invalid.SenderValidated);
        Assert.Equal(node.Address.Name, invalid.SenderUuid);

        // The plaintext content itself decrypts fine with a valid certificate.
        var fresh = await node.CallBytesAsync("sealed.usmc.plaintext", new JsonObject
        {
            ["original"] = B64(await SealedSenderV1InteropTests.SenderKeyMessageAsync(me.Address)), ["originalType"] = 7, ["timestamp"] = 5,
            ["originalDevice"] = 2, ["senderCertificate"] = B64(nodeCertificate),
        });
        var freshSealed = await node.CallBytesAsync("sealed.v1.encrypt", new JsonObject { ["recipient"] = Json(me.Address), ["usmc"] = B64(fresh) });
        var plaintextResult = await me.Cipher.DecryptAsync(freshSealed, [ca.Root.PublicKey], CertificateAuthority.Now);
        Assert.Equal(CiphertextMessageType.Plaintext, plaintextResult.MessageType);
        Assert.Equal(5ul, PlaintextContent.ExtractDecryptionErrorMessage(plaintextResult.Plaintext).Timestamp);

        // Garbage is not attributable to anyone.
        await Assert.ThrowsAsync<InvalidSealedSenderMessageException>(() => me.Cipher.DecryptAsync(sealedBytes.AsMemory(0, 60), [ca.Root.PublicKey], CertificateAuthority.Now));
    }

    [Fact]
    public async Task A_message_from_this_very_device_is_refused_as_a_self_send()
    {
        var ca = new CertificateAuthority();
        var me = new Me(ca);
        await me.Party.Identities.SaveIdentityAsync(me.Address, me.Party.Identity.IdentityKey);
        var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, me.Certificate, await SealedSenderV1InteropTests.SenderKeyMessageAsync(me.Address));
        var sealedBytes = await new SealedSenderCipher(me.Party.Identities).EncryptAsync(me.Address, content);
        await Assert.ThrowsAsync<SealedSenderSelfSendException>(() => me.Cipher.DecryptAsync(sealedBytes, [ca.Root.PublicKey], CertificateAuthority.Now));
    }

    [Fact]
    public async Task A_group_send_distributes_sender_keys_sealed_and_then_seals_once_for_all()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var me = new Me(ca);
        var members = new List<NodeMember>();
        for (var i = 0; i < 5; i++)
        {
            var member = await NodeMember.CreateAsync(oracle, new ProtocolAddress(Guid.NewGuid().ToString(), (uint)(1 + i)));
            await me.Party.Builder.ProcessPreKeyBundleAsync(member.Address, await NodeBundleAsync(member));
            members.Add(member);
        }

        var distributionId = Guid.NewGuid();
        var skdm = await new GroupSessionBuilder(me.SenderKeys).CreateAsync(me.Address, distributionId);
        foreach (var member in members)
        {
            var sealedSkdm = await me.Cipher.EncryptAsync(member.Address, skdm.Serialize(), me.Certificate, ContentHint.Resendable);
            var opened = (await member.CallAsync("sealed.decryptMessage", new JsonObject
            {
                ["message"] = B64(sealedSkdm), ["trustRoot"] = B64(ca.Root.PublicKey.Serialize()), ["time"] = CertificateAuthority.Now,
            }))!;
            await member.CallAsync("sealed.sk.process", new JsonObject { ["sender"] = Json(me.Address), ["skdm"] = opened["plaintext"]!.DeepClone() });
        }

        var groupMessage = await new GroupCipher(me.SenderKeys).EncryptAsync(me.Address, distributionId, "one send, five readers"u8.ToArray());
        byte[] groupId = [1, 1, 2, 3, 5, 8];
        var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, me.Certificate, groupMessage.Serialize(), ContentHint.Resendable, groupId);
        var sent = await me.Cipher.MultiRecipientEncryptAsync(members.Select(m => m.Address).ToList(), content);
        var split = (await oracle.CallAsync("sealed.v2.split", new JsonObject { ["sent"] = B64(sent) }))!;
        foreach (var member in members)
        {
            var entry = split["recipients"]![member.Address.Name]!;
            Assert.Equal([member.RegistrationId], entry["registrationIds"]!.AsArray().Select(r => r!.GetValue<uint>()));
            var opened = (await member.CallAsync("sealed.decryptToUsmc", new JsonObject { ["message"] = entry["message"]!.DeepClone() }))!;
            Assert.Equal(groupId, Bytes(opened["groupId"]));
            var plaintext = await member.CallBytesAsync("sealed.sk.decrypt", new JsonObject { ["sender"] = Json(me.Address), ["message"] = opened["content"]!.DeepClone() });
            Assert.Equal("one send, five readers"u8.ToArray(), plaintext);
        }

        await Assert.ThrowsAsync<NoSessionException>(() => me.Cipher.MultiRecipientEncryptAsync([members[0].Address with { DeviceId = 99 }], content));
    }

    private static async Task<PreKeyBundle> NodeBundleAsync(NodeMember member)
    {
        var b = (await member.CallAsync("sealed.member.bundle", new JsonObject()))!;
        return new PreKeyBundle(
            b["registrationId"]!.GetValue<uint>(), b["deviceId"]!.GetValue<uint>(), b["preKeyId"]!.GetValue<uint>(), ECPublicKey.Deserialize(Bytes(b["preKey"])),
            b["signedPreKeyId"]!.GetValue<uint>(), ECPublicKey.Deserialize(Bytes(b["signedPreKey"])), Bytes(b["signedPreKeySignature"]),
            IdentityKey.Deserialize(Bytes(b["identityKey"])), b["kyberPreKeyId"]!.GetValue<uint>(), KemPublicKey.Deserialize(Bytes(b["kyberPreKey"])),
            Bytes(b["kyberPreKeySignature"]));
    }

    private static JsonObject BundleJson(PreKeyBundle bundle) => new()
    {
        ["registrationId"] = bundle.RegistrationId,
        ["deviceId"] = bundle.DeviceId,
        ["preKeyId"] = bundle.PreKeyId,
        ["preKey"] = bundle.PreKeyPublic is null ? null : B64(bundle.PreKeyPublic.Serialize()),
        ["signedPreKeyId"] = bundle.SignedPreKeyId,
        ["signedPreKey"] = B64(bundle.SignedPreKeyPublic.Serialize()),
        ["signedPreKeySignature"] = B64(bundle.SignedPreKeySignature),
        ["identityKey"] = B64(bundle.IdentityKey.Serialize()),
        ["kyberPreKeyId"] = bundle.KyberPreKeyId,
        ["kyberPreKey"] = B64(bundle.KyberPreKeyPublic.Serialize()),
        ["kyberPreKeySignature"] = B64(bundle.KyberPreKeySignature),
    };
}
