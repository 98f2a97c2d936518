using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.Messages;

namespace SignalSharp.Protocol.Tests.Messages;

/// <summary>Wire format of SignalMessage and PreKeySignalMessage against libsignal's own constructors and parsers.</summary>
public sealed class SignalMessageTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private static readonly ProtocolAddress Alice = new("0c7d6b1e-3333-4c6c-8d8d-00112233aabb", 1);
    private static readonly ProtocolAddress Bob = new("PNI:7a8b9c0d-4444-4d7d-9e9e-ffeeddccbbaa", 3);

    [Theory]
    [InlineData(0u, 0u, 0)]
    [InlineData(7u, 3u, 37)]
    [InlineData(70000u, 1u, 4)]
    public async Task Created_message_is_byte_identical_to_libsignals(uint counter, uint previousCounter, int pqLength)
    {
        var oracle = await fixture.GetAsync();
        var macKey = RandomBytes(32);
        var ratchetKey = ECKeyPair.Generate().PublicKey;
        var body = RandomBytes(48);
        var pq = RandomBytes(pqLength);
        var sender = IdentityKeyPair.Generate().IdentityKey;
        var receiver = IdentityKeyPair.Generate().IdentityKey;

        var ours = SignalMessage.Create(4, macKey, ratchetKey, counter, previousCounter, body, sender, receiver, pq, null);
        var theirs = await oracle.CallBytesAsync("session.buildSignalMessage", new JsonObject
        {
            ["version"] = 4,
            ["macKey"] = Convert.ToBase64String(macKey),
            ["ratchetKey"] = Convert.ToBase64String(ratchetKey.Serialize()),
            ["counter"] = counter,
            ["previousCounter"] = previousCounter,
            ["ciphertext"] = Convert.ToBase64String(body),
            ["senderIdentity"] = Convert.ToBase64String(sender.Serialize()),
            ["receiverIdentity"] = Convert.ToBase64String(receiver.Serialize()),
            ["pqRatchet"] = Convert.ToBase64String(pq),
        });

        Assert.Equal(theirs, ours.Serialize());
        var parsed = SignalMessage.Deserialize(theirs);
        Assert.True(parsed.VerifyMac(sender, receiver, macKey));
        Assert.False(parsed.VerifyMac(receiver, sender, macKey));
        Assert.Equal(counter, parsed.Counter);
        Assert.Equal(previousCounter, parsed.PreviousCounter);
        Assert.Equal(pq, parsed.PqRatchet);
        Assert.Null(parsed.Addresses);
    }

    [Fact]
    public async Task Parses_messages_of_a_real_libsignal_session()
    {
        var node = new NodeSessions(await fixture.GetAsync());
        await node.NewPartyAsync("msg-alice", Alice);
        await node.NewPartyAsync("msg-bob", Bob);
        var (bundle, _) = await node.BundleAsync("msg-bob");
        await node.ProcessBundleAsync("msg-alice", Bob, bundle);
        var first = Assert.IsType<PreKeySignalMessage>((await node.EncryptAsync("msg-alice", Bob, [new byte[42]]))[0]);

        Assert.Equal(4, first.MessageVersion);
        Assert.Equal(bundle.PreKeyId, first.PreKeyId);
        Assert.Equal(bundle.SignedPreKeyId, first.SignedPreKeyId);
        Assert.Equal(bundle.KyberPreKeyId, first.KyberPreKeyId);
        Assert.Equal(1569, first.KyberCiphertext!.Length);
        Assert.Equal(0x08, first.KyberCiphertext[0]);
        Assert.Equal(0u, first.Message.Counter);
        Assert.Equal(48, first.Message.Body.Length);
        Assert.NotEmpty(first.Message.PqRatchet);
        // While unacknowledged, the inner message names sender and recipient (ACI and PNI here).
        Assert.Equal(ServiceIdAddresses.Encode(Alice, Bob), first.Message.Addresses);
        Assert.Equal(first.Serialize(), PreKeySignalMessage.Deserialize(first.Serialize()).Serialize());

        var decrypted = await node.DecryptAsync("msg-bob", Alice, [first]);
        Assert.True(decrypted[0].Ok, decrypted[0].Error);
        var reply = Assert.IsType<SignalMessage>((await node.EncryptAsync("msg-bob", Alice, [new byte[5]]))[0]);
        Assert.Null(reply.Addresses);
        Assert.Equal(0u, reply.Counter);
        Assert.Equal(16, reply.Body.Length);
        Assert.NotEmpty(reply.PqRatchet);
    }

    [Fact]
    public async Task Libsignal_parses_messages_built_here()
    {
        var node = new NodeSessions(await fixture.GetAsync());
        var sender = IdentityKeyPair.Generate().IdentityKey;
        var inner = SignalMessage.Create(4, RandomBytes(32), ECKeyPair.Generate().PublicKey, 12, 5, RandomBytes(32), sender,
            IdentityKeyPair.Generate().IdentityKey, RandomBytes(37), ServiceIdAddresses.Encode(Alice, Bob));
        var parsed = await node.Oracle.CallAsync("session.parse", new JsonObject { ["type"] = 2, ["body"] = Convert.ToBase64String(inner.Serialize()) });
        Assert.Equal(12, parsed!["counter"]!.GetValue<int>());
        Assert.Equal(Convert.ToBase64String(inner.Body), parsed["body"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(inner.PqRatchet), parsed["pqRatchet"]!.GetValue<string>());

        var preKey = PreKeySignalMessage.Create(4, 4321, null, 77, 78, RandomBytes(1569), ECKeyPair.Generate().PublicKey, sender, inner);
        parsed = await node.Oracle.CallAsync("session.parse", new JsonObject { ["type"] = 3, ["body"] = Convert.ToBase64String(preKey.Serialize()) });
        Assert.Equal(4321, parsed!["registrationId"]!.GetValue<int>());
        Assert.Equal(77, parsed["signedPreKeyId"]!.GetValue<int>());
        Assert.Null(parsed["preKeyId"]);
        Assert.Equal(4, parsed["version"]!.GetValue<int>());
    }

    [Fact]
    public void Malformed_bytes_are_typed_errors()
    {
        var message = SignalMessage.Create(4, RandomBytes(32), ECKeyPair.Generate().PublicKey, 1, 0, RandomBytes(16),
            IdentityKeyPair.Generate().IdentityKey, IdentityKeyPair.Generate().IdentityKey, RandomBytes(4), null).Serialize();

        Assert.Throws<InvalidMessageException>(() => SignalMessage.Deserialize(message.AsSpan(0, 8)));
        Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize([]));
        var legacy = (byte[])message.Clone();
        legacy[0] = 0x22;
        Assert.True(Assert.Throws<InvalidMessageVersionException>(() => SignalMessage.Deserialize(legacy)).IsLegacy);
        var future = (byte[])message.Clone();
        future[0] = 0x54;
        Assert.False(Assert.Throws<InvalidMessageVersionException>(() => SignalMessage.Deserialize(future)).IsLegacy);
        // A protobuf without a ratchet key (only field 2 present).
        Assert.Throws<InvalidMessageException>(() => SignalMessage.Deserialize([0x44, 0x10, 0x01, 1, 2, 3, 4, 5, 6, 7, 8]));
        // Truncated protobuf (a length running past the end).
        Assert.Throws<InvalidMessageException>(() => SignalMessage.Deserialize([0x44, 0x0A, 0x21, 5, 1, 2, 3, 4, 5, 6, 7, 8]));
        // Kyber id without ciphertext.
        Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize(
            PreKeyWithout(message, includeKyberCiphertext: false)));
    }

    private static byte[] PreKeyWithout(byte[] inner, bool includeKyberCiphertext)
    {
        var proto = new SignalSharp.Protocol.Sessions.Proto.PreKeyWhisperMessageProto
        {
            BaseKey = Google.Protobuf.ByteString.CopyFrom(ECKeyPair.Generate().PublicKey.Serialize()),
            IdentityKey = Google.Protobuf.ByteString.CopyFrom(IdentityKeyPair.Generate().IdentityKey.Serialize()),
            Message = Google.Protobuf.ByteString.CopyFrom(inner),
            SignedPreKeyId = 1,
            KyberPreKeyId = 2,
        };
        if (includeKyberCiphertext)
        {
            proto.KyberCiphertext = Google.Protobuf.ByteString.CopyFrom(new byte[1569]);
        }

        return [0x44, .. Google.Protobuf.MessageExtensions.ToByteArray(proto)];
    }

    private static byte[] RandomBytes(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
}
