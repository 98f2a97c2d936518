using System.Text;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Protocol.Tests.SenderKeys;

/// <summary>Sender-key behaviour between C# members: chains, skipped keys, duplicates, limits, record rules.</summary>
public sealed class GroupCipherTests
{
    private static readonly ProtocolAddress Alice = new("aaaaaaaa-0000-4000-8000-000000000001", 1);
    private static readonly ProtocolAddress Bob = new("bbbbbbbb-0000-4000-8000-000000000002", 2);

    private static async Task<(GroupCipher Alice, GroupCipher Bob, ISenderKeyStore BobStore, Guid DistributionId)> PairAsync()
    {
        var aliceStore = new InMemorySenderKeyStore();
        var bobStore = new InMemorySenderKeyStore();
        var distributionId = Guid.NewGuid();
        var skdm = await new GroupSessionBuilder(aliceStore).CreateAsync(Alice, distributionId);
        await new GroupSessionBuilder(bobStore).ProcessAsync(Alice, SenderKeyDistributionMessage.Deserialize(skdm.Serialize()));
        return (new GroupCipher(aliceStore), new GroupCipher(bobStore), bobStore, distributionId);
    }

    [Fact]
    public async Task Messages_decrypt_in_order_out_of_order_and_only_once()
    {
        var (alice, bob, _, distributionId) = await PairAsync();
        var messages = new List<SenderKeyMessage>();
        for (var i = 0; i < 10; i++)
        {
            messages.Add(await alice.EncryptAsync(Alice, distributionId, Encoding.UTF8.GetBytes($"message {i}")));
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (uint)i), messages.Select(m => m.Iteration));
        foreach (var i in new[] { 3, 0, 9, 1, 2, 8, 4, 5, 7, 6 })
        {
            var plaintext = await bob.DecryptAsync(Alice, messages[i].Serialize());
            Assert.Equal($"message {i}", Encoding.UTF8.GetString(plaintext));
        }

        var duplicate = await Assert.ThrowsAsync<DuplicateSenderKeyMessageException>(() => bob.DecryptAsync(Alice, messages[4].Serialize()));
        Assert.Equal(10u, duplicate.ChainIteration);
        Assert.Equal(4u, duplicate.Iteration);
    }

    [Fact]
    public async Task A_jump_beyond_the_forward_limit_is_refused_and_changes_nothing()
    {
        var aliceStore = new InMemorySenderKeyStore();
        var bobStore = new InMemorySenderKeyStore();
        var distributionId = Guid.NewGuid();
        var distribution = await new GroupSessionBuilder(aliceStore).CreateAsync(Alice, distributionId);
        await new GroupSessionBuilder(bobStore).ProcessAsync(Alice, distribution);
        var bob = new GroupCipher(bobStore);

        var far = await EncryptAtAsync(aliceStore, distributionId, distribution, GroupCipher.MaxForwardJumps + 1, "far");
        await Assert.ThrowsAsync<InvalidSenderKeyMessageException>(() => bob.DecryptAsync(Alice, far.Serialize()));

        // Exactly the limit is still accepted, so the refusal above left Bob's chain where it was.
        var edge = await EncryptAtAsync(aliceStore, distributionId, distribution, GroupCipher.MaxForwardJumps, "edge");
        Assert.Equal("edge"u8.ToArray(), await bob.DecryptAsync(Alice, edge.Serialize()));
    }

    private static async Task<SenderKeyMessage> EncryptAtAsync(ISenderKeyStore store, Guid distributionId, SenderKeyDistributionMessage start, int iteration, string text)
    {
        var record = (await store.LoadSenderKeyAsync(Alice, distributionId))!;
        record.Current!.ChainKey = AdvanceTo(new SenderChainKey(start.Iteration, start.ChainKey), iteration);
        await store.StoreSenderKeyAsync(Alice, distributionId, record);
        var message = await new GroupCipher(store).EncryptAsync(Alice, distributionId, Encoding.UTF8.GetBytes(text));
        Assert.Equal((uint)iteration, message.Iteration);
        return message;
    }

    [Fact]
    public async Task Only_the_newest_skipped_keys_are_kept()
    {
        var (alice, bob, _, distributionId) = await PairAsync();
        var first = await alice.EncryptAsync(Alice, distributionId, "0"u8.ToArray());
        SenderKeyMessage? second = null;
        for (var i = 1; i <= SenderKeyState.MaxMessageKeys + 1; i++)
        {
            var m = await alice.EncryptAsync(Alice, distributionId, "x"u8.ToArray());
            if (i == 2)
            {
                second = m;
            }
        }

        var last = await alice.EncryptAsync(Alice, distributionId, "last"u8.ToArray());
        Assert.Equal("last"u8.ToArray(), await bob.DecryptAsync(Alice, last.Serialize()));

        // Iterations 0..2001 were skipped; only the newest 2000 (2..2001) were kept.
        await Assert.ThrowsAsync<DuplicateSenderKeyMessageException>(() => bob.DecryptAsync(Alice, first.Serialize()));
        Assert.Equal("x"u8.ToArray(), await bob.DecryptAsync(Alice, second!.Serialize()));
    }

    [Fact]
    public async Task Tampered_or_foreign_messages_are_rejected_with_typed_errors()
    {
        var (alice, bob, _, distributionId) = await PairAsync();
        var message = (await alice.EncryptAsync(Alice, distributionId, "hello"u8.ToArray())).Serialize();
        var tampered = (byte[])message.Clone();
        tampered[^70] ^= 1;
        await Assert.ThrowsAsync<InvalidSenderKeySignatureException>(() => bob.DecryptAsync(Alice, tampered));
        await Assert.ThrowsAsync<NoSenderKeyStateException>(() => bob.DecryptAsync(Bob, message));
        var versioned = (byte[])message.Clone();
        versioned[0] = 0x23;
        await Assert.ThrowsAsync<InvalidSenderKeyMessageException>(() => bob.DecryptAsync(Alice, versioned));
        await Assert.ThrowsAsync<InvalidSenderKeyMessageException>(() => bob.DecryptAsync(Alice, message.AsMemory(0, 40)));
        Assert.Equal("hello"u8.ToArray(), await bob.DecryptAsync(Alice, message));
        await Assert.ThrowsAsync<NoSenderKeyStateException>(() => new GroupCipher(new InMemorySenderKeyStore()).EncryptAsync(Alice, distributionId, "x"u8.ToArray()));
    }

    [Fact]
    public async Task A_record_keeps_five_chains_and_a_repeated_distribution_does_not_rewind()
    {
        var aliceStore = new InMemorySenderKeyStore();
        var bobStore = new InMemorySenderKeyStore();
        var distributionId = Guid.NewGuid();
        var skdm = await new GroupSessionBuilder(aliceStore).CreateAsync(Alice, distributionId);
        var bobBuilder = new GroupSessionBuilder(bobStore);
        await bobBuilder.ProcessAsync(Alice, skdm);
        var aliceCipher = new GroupCipher(aliceStore);
        var bobCipher = new GroupCipher(bobStore);
        var m0 = await aliceCipher.EncryptAsync(Alice, distributionId, "0"u8.ToArray());
        await bobCipher.DecryptAsync(Alice, m0.Serialize());

        // The same distribution again: Bob keeps his advanced chain, so m0 stays a duplicate.
        await bobBuilder.ProcessAsync(Alice, skdm);
        await Assert.ThrowsAsync<DuplicateSenderKeyMessageException>(() => bobCipher.DecryptAsync(Alice, m0.Serialize()));

        // Six fresh chains for the same distribution id: the oldest (Alice's real one) is forgotten.
        for (var i = 0; i < SenderKeyRecord.MaxStates; i++)
        {
            var other = await new GroupSessionBuilder(new InMemorySenderKeyStore()).CreateAsync(Alice, distributionId);
            await bobBuilder.ProcessAsync(Alice, other);
        }

        var record = (await bobStore.LoadSenderKeyAsync(Alice, distributionId))!;
        Assert.Equal(SenderKeyRecord.MaxStates, record.States.Count);
        var m1 = await aliceCipher.EncryptAsync(Alice, distributionId, "1"u8.ToArray());
        await Assert.ThrowsAsync<NoSenderKeyStateException>(() => bobCipher.DecryptAsync(Alice, m1.Serialize()));
    }

    [Fact]
    public async Task A_new_signing_key_for_a_known_chain_id_replaces_the_old_chain()
    {
        var store = new InMemorySenderKeyStore();
        var builder = new GroupSessionBuilder(store);
        var distributionId = Guid.NewGuid();
        var first = await new GroupSessionBuilder(new InMemorySenderKeyStore()).CreateAsync(Alice, distributionId);
        await builder.ProcessAsync(Alice, first);
        var other = await new GroupSessionBuilder(new InMemorySenderKeyStore()).CreateAsync(Alice, distributionId);
        await builder.ProcessAsync(Alice, other);
        var rekeyed = new SenderKeyDistributionMessage(3, distributionId, first.ChainId, 0, first.ChainKey, Crypto.ECKeyPair.Generate().PublicKey);
        await builder.ProcessAsync(Alice, rekeyed);

        var record = (await store.LoadSenderKeyAsync(Alice, distributionId))!;
        Assert.Equal([first.ChainId, other.ChainId], record.States.Select(s => s.ChainId));
        Assert.Equal(rekeyed.SigningKey, record.States[0].SigningPublic);
    }

    [Fact]
    public async Task Distribution_messages_round_trip_and_reject_malformed_input()
    {
        var store = new InMemorySenderKeyStore();
        var distributionId = Guid.NewGuid();
        var skdm = await new GroupSessionBuilder(store).CreateAsync(Alice, distributionId);
        var again = await new GroupSessionBuilder(store).CreateAsync(Alice, distributionId);
        Assert.Equal(skdm.ChainId, again.ChainId);
        Assert.True(skdm.ChainId < 0x8000_0000u);
        var parsed = SenderKeyDistributionMessage.Deserialize(skdm.Serialize());
        Assert.Equal(distributionId, parsed.DistributionId);
        Assert.Equal(skdm.ChainKey, parsed.ChainKey);
        Assert.Equal(0x33, skdm.Serialize()[0]);
        Assert.Throws<InvalidSenderKeyMessageException>(() => SenderKeyDistributionMessage.Deserialize(skdm.Serialize().AsSpan(0, 30)));
        Assert.Throws<InvalidSenderKeyMessageException>(() => SenderKeyDistributionMessage.Deserialize([0x33, 0x0a, 0x01]));
    }

    private static SenderChainKey AdvanceTo(SenderChainKey key, int iteration)
    {
        while (key.Iteration < iteration)
        {
            key = key.Next();
        }

        return key;
    }
}
