using System.Text;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Tests.Sessions.Support;

namespace SignalSharp.Protocol.Tests.Sessions;

/// <summary>
/// Sessions between SignalSharp and libsignal 0.100 (node): PQXDH with Kyber in both directions, SPQR running on
/// every message, long conversations with reordering, loss and replays, re-established sessions with messages of
/// the old one still in flight.
/// </summary>
public sealed class SessionInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private static int partySerial;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CSharp_initiates_to_a_node_bundle(bool withOneTimePreKey)
    {
        var (node, alice, bobId, bob) = await SetUpAsync();
        var (bundle, _) = await node.BundleAsync(bobId, withOneTimePreKey);
        await alice.Builder.ProcessPreKeyBundleAsync(bob, bundle);

        // Kyber C# → node: node decapsulates the ciphertext C# encapsulated to its Kyber prekey.
        var first = await Texts(alice, bob, "hello node", "second before any reply");
        Assert.All(first, m => Assert.Equal(CiphertextMessageType.PreKey, m.Type));
        var decrypted = await node.DecryptAsync(bobId, alice.Address, first);
        Assert.Equal(["hello node", "second before any reply"], decrypted.Select(r => Encoding.UTF8.GetString(r.Plaintext ?? [])));

        var log = await node.StoreLogAsync(bobId);
        Assert.Equal(withOneTimePreKey ? [bundle.PreKeyId!.Value] : [], log["removedPreKeys"]!.AsArray().Select(n => n!.GetValue<uint>()));
        Assert.Equal(bundle.KyberPreKeyId, log["kyberUsed"]![0]!["id"]!.GetValue<uint>());
        Assert.Equal(bundle.SignedPreKeyId, log["kyberUsed"]![0]!["signedId"]!.GetValue<uint>());

        var replies = await node.EncryptAsync(bobId, alice.Address, [Encoding.UTF8.GetBytes("hi C#")]);
        Assert.Equal(CiphertextMessageType.Whisper, replies[0].Type);
        Assert.Equal("hi C#", await alice.DecryptAsync(Party.Reparse(replies[0]), bob));

        // The reply acknowledged the session: from now on plain SignalMessages.
        var after = await alice.Cipher.EncryptAsync(bob, Encoding.UTF8.GetBytes("acknowledged"));
        Assert.Equal(CiphertextMessageType.Whisper, after.Type);
        Assert.Equal("acknowledged", Encoding.UTF8.GetString((await node.DecryptAsync(bobId, alice.Address, [after]))[0].Plaintext!));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Node_initiates_to_a_CSharp_bundle(bool withOneTimePreKey)
    {
        var (node, bob, aliceId, alice) = await SetUpAsync();
        var bundle = await bob.CreateBundleAsync(withOneTimePreKey);
        await node.ProcessBundleAsync(aliceId, bob.Address, bundle);

        // Kyber node → C#: C# decapsulates libsignal's ciphertext.
        var messages = await node.EncryptAsync(aliceId, bob.Address, [Encoding.UTF8.GetBytes("from node 1"), Encoding.UTF8.GetBytes("from node 2")]);
        Assert.All(messages, m => Assert.Equal(CiphertextMessageType.PreKey, m.Type));
        Assert.Equal("from node 2", await bob.DecryptAsync(messages[1], alice));
        Assert.Equal("from node 1", await bob.DecryptAsync(messages[0], alice));
        if (withOneTimePreKey)
        {
            await Assert.ThrowsAsync<InvalidKeyIdException>(() => bob.PreKeys.LoadPreKeyAsync(bundle.PreKeyId!.Value));
        }

        // The one-time Kyber prekey was used up; the signed prekey stays (libsignal never deletes it).
        Assert.False(bob.KyberPreKeys.Contains(bundle.KyberPreKeyId));
        Assert.True(bob.SignedPreKeys.Contains(bundle.SignedPreKeyId));

        var reply = await bob.Cipher.EncryptAsync(alice, Encoding.UTF8.GetBytes("reply from C#"));
        Assert.Equal(CiphertextMessageType.Whisper, reply.Type);
        var result = await node.DecryptAsync(aliceId, bob.Address, [reply]);
        Assert.Equal("reply from C#", Encoding.UTF8.GetString(result[0].Plaintext ?? Encoding.UTF8.GetBytes(result[0].Error!)));
        Assert.Equal(CiphertextMessageType.Whisper, (await node.EncryptAsync(aliceId, bob.Address, [[1]]))[0].Type);
    }

    [Theory]
    [InlineData(true, 1001)]
    [InlineData(false, 2002)]
    public async Task Thousand_message_conversation_with_reordering_loss_and_replays(bool csharpInitiates, int seed)
    {
        var (node, me, peerId, peer) = await SetUpAsync();
        if (csharpInitiates)
        {
            await me.Builder.ProcessPreKeyBundleAsync(peer, (await node.BundleAsync(peerId)).Bundle);
        }
        else
        {
            await node.ProcessBundleAsync(peerId, me.Address, await me.CreateBundleAsync());
        }

        var conversation = new Conversation(me, node, peerId, peer, seed);
        await conversation.RunAsync(1000, csharpStarts: csharpInitiates);

        Assert.True(conversation.Delivered > 900, $"delivered {conversation.Delivered}");
        Assert.True(conversation.Dropped > 0);
        Assert.True(conversation.DuplicatesRejected > 0);
        Assert.True(conversation.Late > 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Late_messages_of_a_replaced_session_still_decrypt(bool csharpReestablishes)
    {
        var (node, me, peerId, peer) = await SetUpAsync();
        await me.Builder.ProcessPreKeyBundleAsync(peer, (await node.BundleAsync(peerId)).Bundle);
        await ExchangeAsync(node, me, peerId, peer, "warm-up");

        // Both sides have messages of the old session in flight...
        var oldFromNode = await node.EncryptAsync(peerId, me.Address, Enumerable.Range(0, 4).Select(i => Encoding.UTF8.GetBytes($"old node {i}")));
        var oldFromCSharp = await Texts(me, peer, "old C# 0", "old C# 1", "old C# 2");

        // ...when one side starts a new session from a fresh bundle of the other.
        if (csharpReestablishes)
        {
            await me.Builder.ProcessPreKeyBundleAsync(peer, (await node.BundleAsync(peerId)).Bundle);
            var fresh = await Texts(me, peer, "new session 1", "new session 2");
            Assert.All(fresh, m => Assert.Equal(CiphertextMessageType.PreKey, m.Type));
            Assert.All(await node.DecryptAsync(peerId, me.Address, fresh), r => Assert.True(r.Ok, r.Error));
        }
        else
        {
            await node.ProcessBundleAsync(peerId, me.Address, await me.CreateBundleAsync());
            var fresh = await node.EncryptAsync(peerId, me.Address, [Encoding.UTF8.GetBytes("new session from node")]);
            Assert.Equal(CiphertextMessageType.PreKey, fresh[0].Type);
            Assert.Equal("new session from node", await me.DecryptAsync(Party.Reparse(fresh[0]), peer));
        }

        for (var i = oldFromNode.Count - 1; i >= 0; i--)
        {
            Assert.Equal($"old node {i}", await me.DecryptAsync(Party.Reparse(oldFromNode[i]), peer));
        }

        var late = await node.DecryptAsync(peerId, me.Address, oldFromCSharp);
        Assert.Equal(["old C# 0", "old C# 1", "old C# 2"], late.Select(r => r.Ok ? Encoding.UTF8.GetString(r.Plaintext!) : r.Error!));

        // Whatever state each side settled on, they keep talking.
        await ExchangeAsync(node, me, peerId, peer, "after");
        await ExchangeAsync(node, me, peerId, peer, "after again");
    }

    [Fact]
    public async Task Every_tampered_byte_of_a_node_message_is_rejected_with_a_typed_error()
    {
        var (node, me, peerId, peer) = await SetUpAsync();
        await me.Builder.ProcessPreKeyBundleAsync(peer, (await node.BundleAsync(peerId)).Bundle);
        await ExchangeAsync(node, me, peerId, peer, "setup");
        var messages = await node.EncryptAsync(peerId, me.Address, [Encoding.UTF8.GetBytes("tamper me"), Encoding.UTF8.GetBytes("next")]);
        var original = messages[0].Serialize();

        for (var i = 0; i < original.Length; i++)
        {
            foreach (var flip in new byte[] { 0x01, 0x80 })
            {
                var tampered = (byte[])original.Clone();
                tampered[i] ^= flip;
                await Assert.ThrowsAnyAsync<ProtocolException>(async () =>
                    await me.Cipher.DecryptSignalMessageAsync(peer, SignalMessage.Deserialize(tampered)));
            }
        }

        // Nothing was committed by the failures: the genuine messages still decrypt, in order.
        Assert.Equal("tamper me", await me.DecryptAsync(Party.Reparse(messages[0]), peer));
        Assert.Equal("next", await me.DecryptAsync(Party.Reparse(messages[1]), peer));
    }

    [Fact]
    public async Task Every_tampered_byte_of_a_node_prekey_message_is_rejected_except_the_unauthenticated_registration_id()
    {
        var (node, bob, aliceId, alice) = await SetUpAsync();
        await node.ProcessBundleAsync(aliceId, bob.Address, await bob.CreateBundleAsync());
        var message = (await node.EncryptAsync(aliceId, bob.Address, [Encoding.UTF8.GetBytes("prekey tamper")]))[0];
        var original = message.Serialize();
        // libsignal authenticates everything in a PreKeySignalMessage through PQXDH and the inner MAC except the
        // registration id field (and the version byte's low nibble), which a tamperer can change unnoticed.
        var unauthenticated = ProtobufFieldBytes(original.AsSpan(1), fieldNumber: 5).Select(i => i + 1).ToHashSet();

        for (var i = 0; i < original.Length; i++)
        {
            if (unauthenticated.Contains(i))
            {
                continue;
            }

            var tampered = (byte[])original.Clone();
            tampered[i] ^= i == 0 ? (byte)0x10 : (byte)0x01;
            await Assert.ThrowsAnyAsync<ProtocolException>(async () =>
                await bob.Cipher.DecryptPreKeySignalMessageAsync(alice, PreKeySignalMessage.Deserialize(tampered)));
        }

        Assert.Equal("prekey tamper", await bob.DecryptAsync(Party.Reparse(message), alice));
    }

    [Fact]
    public async Task Node_rejects_every_tampered_byte_of_a_CSharp_message()
    {
        var (node, me, peerId, peer) = await SetUpAsync();
        await me.Builder.ProcessPreKeyBundleAsync(peer, (await node.BundleAsync(peerId)).Bundle);
        await ExchangeAsync(node, me, peerId, peer, "setup");
        var message = await me.Cipher.EncryptAsync(peer, Encoding.UTF8.GetBytes("tamper me too"));
        var original = message.Serialize();
        var tampered = Enumerable.Range(0, original.Length).Select(i =>
        {
            var copy = (byte[])original.Clone();
            copy[i] ^= 0x01;
            return (2, copy);
        }).ToList();

        var results = await node.DecryptRawAsync(peerId, me.Address, tampered);
        Assert.All(results, r => Assert.False(r.Ok));
        var genuine = await node.DecryptAsync(peerId, me.Address, [message]);
        Assert.Equal("tamper me too", Encoding.UTF8.GetString(genuine[0].Plaintext!));
    }

    [Fact]
    public async Task A_changed_identity_key_is_untrusted_until_accepted()
    {
        var (node, me, peerId, peer) = await SetUpAsync();
        await me.Builder.ProcessPreKeyBundleAsync(peer, (await node.BundleAsync(peerId)).Bundle);
        await ExchangeAsync(node, me, peerId, peer, "before reinstall");

        // The peer reinstalls: same address, new identity key.
        var reinstalledId = peerId + "-reinstalled";
        var newIdentity = await node.NewPartyAsync(reinstalledId, peer);
        var (bundle, _) = await node.BundleAsync(reinstalledId);
        var before = (await me.Sessions.LoadSessionAsync(peer))!.Serialize();
        var error = await Assert.ThrowsAsync<UntrustedIdentityException>(() => me.Builder.ProcessPreKeyBundleAsync(peer, bundle));
        Assert.Equal(peer, error.Address);
        Assert.Equal(newIdentity, error.IdentityKey);
        Assert.Equal(before, (await me.Sessions.LoadSessionAsync(peer))!.Serialize());

        // A PreKey message from the new identity is refused too, and consumes nothing.
        var myBundle = await me.CreateBundleAsync();
        await node.ProcessBundleAsync(reinstalledId, me.Address, myBundle);
        var incoming = await node.EncryptAsync(reinstalledId, me.Address, [Encoding.UTF8.GetBytes("new me")]);
        await Assert.ThrowsAsync<UntrustedIdentityException>(() => me.Cipher.DecryptAsync(peer, Party.Reparse(incoming[0])));
        Assert.NotNull(await me.PreKeys.LoadPreKeyAsync(myBundle.PreKeyId!.Value));

        // Once the user accepts the new key, both directions work.
        await me.Identities.SaveIdentityAsync(peer, newIdentity);
        Assert.Equal("new me", await me.DecryptAsync(Party.Reparse(incoming[0]), peer));
        await ExchangeAsync(node, me, reinstalledId, peer, "after accepting");
    }

    private async Task<(NodeSessions Node, Party Me, string PeerId, ProtocolAddress Peer)> SetUpAsync()
    {
        var node = new NodeSessions(await fixture.GetAsync());
        var n = Interlocked.Increment(ref partySerial);
        var me = new Party(Guid.NewGuid().ToString(), (uint)(1 + (n % 3)));
        var peer = new ProtocolAddress(Guid.NewGuid().ToString(), 2);
        var peerId = $"interop-{n}";
        await node.NewPartyAsync(peerId, peer);
        return (node, me, peerId, peer);
    }

    /// <summary>One message each way, checked on both sides.</summary>
    private static async Task ExchangeAsync(NodeSessions node, Party me, string peerId, ProtocolAddress peer, string tag)
    {
        var toNode = await me.Cipher.EncryptAsync(peer, Encoding.UTF8.GetBytes($"{tag} from C#"));
        var got = await node.DecryptAsync(peerId, me.Address, [toNode]);
        Assert.True(got[0].Ok, got[0].Error);
        Assert.Equal($"{tag} from C#", Encoding.UTF8.GetString(got[0].Plaintext!));
        var fromNode = await node.EncryptAsync(peerId, me.Address, [Encoding.UTF8.GetBytes($"{tag} from node")]);
        Assert.Equal($"{tag} from node", await me.DecryptAsync(Party.Reparse(fromNode[0]), peer));
    }

    private static async Task<List<CiphertextMessage>> Texts(Party from, ProtocolAddress to, params string[] texts)
    {
        var result = new List<CiphertextMessage>();
        foreach (var text in texts)
        {
            result.Add(await from.Cipher.EncryptAsync(to, Encoding.UTF8.GetBytes(text)));
        }

        return result;
    }

    /// <summary>Offsets (within <paramref name="proto"/>) of every byte of top-level fields with this number, tag included.</summary>
    private static IEnumerable<int> ProtobufFieldBytes(ReadOnlySpan<byte> proto, int fieldNumber)
    {
        var offsets = new List<int>();
        var input = new Google.Protobuf.CodedInputStream(proto.ToArray());
        while (!input.IsAtEnd)
        {
            var start = (int)input.Position;
            var tag = input.ReadTag();
            input.SkipLastField();
            if (Google.Protobuf.WireFormat.GetTagFieldNumber(tag) == fieldNumber)
            {
                offsets.AddRange(Enumerable.Range(start, (int)input.Position - start));
            }
        }

        return offsets;
    }
}
