using System.Text;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Ratchet;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Tests.Sessions.Support;

namespace SignalSharp.Protocol.Tests.Sessions;

/// <summary>SignalSharp ⇄ SignalSharp sessions: the rules that need no peer implementation to check.</summary>
public sealed class SessionCipherTests
{
    [Fact]
    public async Task Round_trip_acknowledges_the_session_and_clears_the_pending_prekey()
    {
        var (alice, bob) = await EstablishAsync();
        var first = await alice.EncryptAsync(bob.Address, "hi bob");
        Assert.Equal(CiphertextMessageType.PreKey, first.Type);
        Assert.Equal("hi bob", await bob.DecryptAsync(first, alice.Address));
        var reply = await bob.EncryptAsync(alice.Address, "hi alice");
        Assert.Equal(CiphertextMessageType.Whisper, reply.Type);
        Assert.Equal("hi alice", await alice.DecryptAsync(reply, bob.Address));
        Assert.Null((await alice.Sessions.LoadSessionAsync(bob.Address))!.CurrentState!.UnacknowledgedPreKey);
        Assert.Equal(CiphertextMessageType.Whisper, (await alice.EncryptAsync(bob.Address, "again")).Type);
    }

    [Fact]
    public async Task Bad_prekey_signatures_are_refused()
    {
        var alice = new Party(Guid.NewGuid().ToString());
        var bob = new Party(Guid.NewGuid().ToString());
        var bundle = await bob.CreateBundleAsync();
        var badSigned = (byte[])bundle.SignedPreKeySignature.Clone();
        badSigned[5] ^= 1;
        var badKyber = (byte[])bundle.KyberPreKeySignature.Clone();
        badKyber[5] ^= 1;

        var e1 = await Assert.ThrowsAsync<InvalidSignatureException>(() => alice.Builder.ProcessPreKeyBundleAsync(bob.Address, new PreKeyBundle(
            bundle.RegistrationId, bundle.DeviceId, bundle.PreKeyId, bundle.PreKeyPublic, bundle.SignedPreKeyId, bundle.SignedPreKeyPublic, badSigned,
            bundle.IdentityKey, bundle.KyberPreKeyId, bundle.KyberPreKeyPublic, bundle.KyberPreKeySignature)));
        Assert.Contains("signed prekey", e1.Message, StringComparison.Ordinal);
        var e2 = await Assert.ThrowsAsync<InvalidSignatureException>(() => alice.Builder.ProcessPreKeyBundleAsync(bob.Address, new PreKeyBundle(
            bundle.RegistrationId, bundle.DeviceId, bundle.PreKeyId, bundle.PreKeyPublic, bundle.SignedPreKeyId, bundle.SignedPreKeyPublic, bundle.SignedPreKeySignature,
            bundle.IdentityKey, bundle.KyberPreKeyId, bundle.KyberPreKeyPublic, badKyber)));
        Assert.Contains("Kyber prekey", e2.Message, StringComparison.Ordinal);
        Assert.Null(await alice.Sessions.LoadSessionAsync(bob.Address));
    }

    [Fact]
    public async Task Encrypt_without_a_session_is_NoSession()
    {
        var alice = new Party(Guid.NewGuid().ToString());
        await Assert.ThrowsAsync<NoSessionException>(() => alice.EncryptAsync(new ProtocolAddress(Guid.NewGuid().ToString(), 1), "x"));
        var signal = SignalMessage.Deserialize(await EstablishedPairMessageAsync());
        await Assert.ThrowsAsync<NoSessionException>(() => alice.Cipher.DecryptSignalMessageAsync(new ProtocolAddress("nobody", 1), signal));
    }

    [Fact]
    public async Task An_unacknowledged_session_goes_stale_after_30_days()
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var alice = new Party(Guid.NewGuid().ToString(), time: time);
        var bob = new Party(Guid.NewGuid().ToString());
        await alice.Builder.ProcessPreKeyBundleAsync(bob.Address, await bob.CreateBundleAsync());
        var record = (await alice.Sessions.LoadSessionAsync(bob.Address))!;

        time.Now += TimeSpan.FromDays(30);
        Assert.True(record.HasUsableSenderChain(time.Now));
        Assert.Equal(CiphertextMessageType.PreKey, (await alice.EncryptAsync(bob.Address, "still fine")).Type);
        time.Now += TimeSpan.FromSeconds(1);
        Assert.False(record.HasUsableSenderChain(time.Now));
        await Assert.ThrowsAsync<NoSessionException>(() => alice.EncryptAsync(bob.Address, "too late"));
    }

    [Fact]
    public async Task Out_of_order_and_duplicate_messages()
    {
        var (alice, bob) = await AcknowledgedAsync();
        var messages = new List<CiphertextMessage>();
        for (var i = 1; i <= 10; i++)
        {
            messages.Add(await alice.EncryptAsync(bob.Address, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        foreach (var i in new[] { 9, 2, 10, 1, 5, 3, 4, 8, 6, 7 })
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), await bob.DecryptAsync(messages[i - 1], alice.Address));
        }

        var duplicate = await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(messages[4], alice.Address));
        Assert.Equal(4u, duplicate.Counter);
    }

    [Fact]
    public async Task Forward_jump_limit_is_25000()
    {
        var (alice, bob) = await AcknowledgedAsync();

        // Move Alice's sending chain ahead by exactly the limit (real keys), then by one more.
        var record = (await alice.Sessions.LoadSessionAsync(bob.Address))!;
        var state = record.CurrentState!;
        var chain = state.SenderChainKey;
        for (var i = 0; i < SessionLimits.MaxForwardJumps; i++)
        {
            chain = chain.Next();
        }

        state.SenderChainKey = chain;
        await alice.Sessions.StoreSessionAsync(bob.Address, record);
        Assert.Equal("far but allowed", await bob.DecryptAsync(await alice.EncryptAsync(bob.Address, "far but allowed"), alice.Address));

        record = (await alice.Sessions.LoadSessionAsync(bob.Address))!;
        chain = record.CurrentState!.SenderChainKey;
        record.CurrentState.SenderChainKey = new ChainKey(chain.Key, chain.Index + SessionLimits.MaxForwardJumps + 1);
        await alice.Sessions.StoreSessionAsync(bob.Address, record);
        var error = await Assert.ThrowsAsync<InvalidMessageException>(async () => await bob.DecryptAsync(await alice.EncryptAsync(bob.Address, "too far"), alice.Address));
        Assert.Contains(error.StateErrors, e => e.Message.Contains("too far into the future", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_decryption_commits_nothing()
    {
        var (alice, bob) = await AcknowledgedAsync();
        var message = (SignalMessage)await alice.EncryptAsync(bob.Address, "intact");
        var bytes = message.Serialize();
        bytes[^1] ^= 1;
        var before = (await bob.Sessions.LoadSessionAsync(alice.Address))!.Serialize();
        var error = await Assert.ThrowsAsync<InvalidMessageException>(() => bob.Cipher.DecryptSignalMessageAsync(alice.Address, SignalMessage.Deserialize(bytes)));
        Assert.IsType<InvalidMacException>(error.StateErrors[0]);
        Assert.Equal(before, (await bob.Sessions.LoadSessionAsync(alice.Address))!.Serialize());
        Assert.Equal("intact", await bob.DecryptAsync(message, alice.Address));
    }

    [Fact]
    public async Task Messages_of_an_archived_session_decrypt_and_promote_it()
    {
        var (alice, bob) = await AcknowledgedAsync();
        var late = await alice.EncryptAsync(bob.Address, "late from the old session");

        // Alice starts over from a new bundle; Bob gets the new session first, the old message afterwards.
        await alice.Builder.ProcessPreKeyBundleAsync(bob.Address, await bob.CreateBundleAsync());
        Assert.Equal("new", await bob.DecryptAsync(await alice.EncryptAsync(bob.Address, "new"), alice.Address));
        var bobRecord = (await bob.Sessions.LoadSessionAsync(alice.Address))!;
        Assert.Equal(1, bobRecord.ArchivedStateCount);
        var newBaseKey = bobRecord.CurrentState!.AliceBaseKey;

        Assert.Equal("late from the old session", await bob.DecryptAsync(late, alice.Address));
        bobRecord = (await bob.Sessions.LoadSessionAsync(alice.Address))!;
        Assert.NotEqual(newBaseKey, bobRecord.CurrentState!.AliceBaseKey);
        Assert.Equal(newBaseKey, bobRecord.PreviousStates[0].AliceBaseKey);
    }

    [Fact]
    public async Task A_retransmitted_prekey_message_reuses_its_session()
    {
        var alice = new Party(Guid.NewGuid().ToString());
        var bob = new Party(Guid.NewGuid().ToString());
        await alice.Builder.ProcessPreKeyBundleAsync(bob.Address, await bob.CreateBundleAsync());
        var first = await alice.EncryptAsync(bob.Address, "one");
        var second = await alice.EncryptAsync(bob.Address, "two");
        Assert.Equal("two", await bob.DecryptAsync(second, alice.Address));
        Assert.Equal("one", await bob.DecryptAsync(first, alice.Address));
        Assert.Equal(0, (await bob.Sessions.LoadSessionAsync(alice.Address))!.ArchivedStateCount);
        await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(first, alice.Address));
    }

    [Fact]
    public async Task A_prekey_message_for_an_unknown_prekey_is_a_typed_error_and_stores_nothing()
    {
        var alice = new Party(Guid.NewGuid().ToString());
        var bob = new Party(Guid.NewGuid().ToString());
        var otherBob = new Party(bob.Address.Name, bob.Address.DeviceId, bob.Identity);
        await alice.Builder.ProcessPreKeyBundleAsync(bob.Address, await otherBob.CreateBundleAsync());
        var message = await alice.EncryptAsync(bob.Address, "to keys bob never had");

        var error = await Assert.ThrowsAsync<InvalidKeyIdException>(() => bob.DecryptAsync(message, alice.Address));
        Assert.Equal(PreKeyType.SignedPreKey, error.Type);
        Assert.Null(await bob.Sessions.LoadSessionAsync(alice.Address));
        Assert.Null(await bob.Identities.GetIdentityAsync(alice.Address));
    }

    private static async Task<(Party Alice, Party Bob)> EstablishAsync()
    {
        var alice = new Party(Guid.NewGuid().ToString());
        var bob = new Party(Guid.NewGuid().ToString(), 2);
        await alice.Builder.ProcessPreKeyBundleAsync(bob.Address, await bob.CreateBundleAsync());
        return (alice, bob);
    }

    private static async Task<(Party Alice, Party Bob)> AcknowledgedAsync()
    {
        var (alice, bob) = await EstablishAsync();
        Assert.Equal("hello", await bob.DecryptAsync(await alice.EncryptAsync(bob.Address, "hello"), alice.Address));
        Assert.Equal("back", await alice.DecryptAsync(await bob.EncryptAsync(alice.Address, "back"), bob.Address));
        return (alice, bob);
    }

    private static async Task<byte[]> EstablishedPairMessageAsync()
    {
        var (alice, bob) = await AcknowledgedAsync();
        return (await alice.EncryptAsync(bob.Address, "x")).Serialize();
    }
}
