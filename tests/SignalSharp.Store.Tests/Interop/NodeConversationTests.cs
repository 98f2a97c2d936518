using System.Text;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Protocol;
using SignalSharp.Store.Tests.Protocol;

namespace SignalSharp.Store.Tests.Interop;

/// <summary>
/// libsignal 0.100 (node, interop/oracle/session.mjs) talks to a SignalSharp party whose whole protocol state
/// lives in SQLite, with the database closed and reopened between messages and each received message decrypted
/// and stored in the inbox in one transaction, as the daemon's receive pipeline does.
/// </summary>
public sealed class NodeConversationTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private static int serial;

    [Fact]
    public async Task Node_initiates_to_a_bundle_kept_in_SQLite()
    {
        var oracle = await fixture.GetAsync();
        await using var t = await TestDatabase.OpenAsync();
        var (me, nodeId, nodeAddress) = await SetUpAsync(oracle, t);

        var bundle = await Party(t.Db.ProtocolStores(AccountIdentity.Aci)).CreateBundleAsync(900);
        await new NodeSessions(oracle).ProcessBundleAsync(nodeId, me, bundle);
        var first = await NodeEncryptAsync(oracle, nodeId, me, "from libsignal 1", "from libsignal 2 😀");
        Assert.All(first, m => Assert.Equal(CiphertextMessageType.PreKey, m.Type));

        await t.ReopenAsync();
        Assert.Equal("from libsignal 1", await ReceiveAsync(t.Db, nodeAddress, first[0], 1));
        await t.ReopenAsync();
        Assert.Equal("from libsignal 2 😀", await ReceiveAsync(t.Db, nodeAddress, first[1], 2));
        // The one-time prekey is gone, and node's identity is on record.
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => t.Db.ProtocolStores(AccountIdentity.Aci).PreKeys.LoadPreKeyAsync(bundle.PreKeyId!.Value));
        Assert.NotNull(await t.Db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.GetIdentityAsync(nodeAddress));

        for (var round = 0; round < 3; round++)
        {
            await t.ReopenAsync();
            var reply = await Party(t.Db.ProtocolStores(AccountIdentity.Aci)).Cipher.EncryptAsync(nodeAddress, Encoding.UTF8.GetBytes($"echo {round}"));
            Assert.Equal($"echo {round}", await NodeDecryptAsync(oracle, nodeId, me, reply));
            var next = await NodeEncryptAsync(oracle, nodeId, me, $"again {round}");
            Assert.Equal(CiphertextMessageType.Whisper, next[0].Type);
            await t.ReopenAsync();
            Assert.Equal($"again {round}", await ReceiveAsync(t.Db, nodeAddress, next[0], (ulong)(10 + round)));
        }

        var inbox = await t.Db.Inbox.TakeAsync(100);
        Assert.Equal(["from libsignal 1", "from libsignal 2 😀", "again 0", "again 1", "again 2"], inbox.Select(i => i.Body));
    }

    [Fact]
    public async Task SignalSharp_initiates_from_SQLite_to_a_libsignal_bundle()
    {
        var oracle = await fixture.GetAsync();
        await using var t = await TestDatabase.OpenAsync();
        var (me, nodeId, nodeAddress) = await SetUpAsync(oracle, t);

        var (nodeBundle, _) = await new NodeSessions(oracle).BundleAsync(nodeId, withOneTimePreKey: true);
        await Party(t.Db.ProtocolStores(AccountIdentity.Aci)).Builder.ProcessPreKeyBundleAsync(nodeAddress, nodeBundle);
        await t.ReopenAsync();
        var hello = await Party(t.Db.ProtocolStores(AccountIdentity.Aci)).Cipher.EncryptAsync(nodeAddress, Encoding.UTF8.GetBytes("hello libsignal"));
        Assert.Equal(CiphertextMessageType.PreKey, hello.Type);
        Assert.Equal("hello libsignal", await NodeDecryptAsync(oracle, nodeId, me, hello));

        var replies = await NodeEncryptAsync(oracle, nodeId, me, "hi SQLite", "second");
        await t.ReopenAsync();
        // Out of order: the second reply first, then the first (the skipped key was stored in SQLite).
        Assert.Equal("second", await ReceiveAsync(t.Db, nodeAddress, replies[1], 2));
        await t.ReopenAsync();
        Assert.Equal("hi SQLite", await ReceiveAsync(t.Db, nodeAddress, replies[0], 1));

        await t.ReopenAsync();
        var after = await Party(t.Db.ProtocolStores(AccountIdentity.Aci)).Cipher.EncryptAsync(nodeAddress, Encoding.UTF8.GetBytes("acknowledged"));
        Assert.Equal(CiphertextMessageType.Whisper, after.Type);
        Assert.Equal("acknowledged", await NodeDecryptAsync(oracle, nodeId, me, after));
    }

    private static readonly ProtocolAddress MyAddress = new("11111111-0000-4000-8000-00000000000a", 1);

    private static ProtocolParty Party(ProtocolStores s)
        => new(MyAddress, s.IdentityKeys, s.Sessions, s.PreKeys, s.SignedPreKeys, s.KyberPreKeys);

    private static async Task<(ProtocolAddress Me, string NodeId, ProtocolAddress NodeAddress)> SetUpAsync(NodeOracle oracle, TestDatabase t)
    {
        await t.Db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.SetLocalIdentityAsync(IdentityKeyPair.Generate(), KeyHelper.GenerateRegistrationId());
        var nodeId = "store-interop-" + Interlocked.Increment(ref serial) + "-" + Guid.NewGuid().ToString("N")[..8];
        var nodeAddress = new ProtocolAddress(Guid.NewGuid().ToString(), 1);
        await new NodeSessions(oracle).NewPartyAsync(nodeId, nodeAddress);
        return (MyAddress, nodeId, nodeAddress);
    }

    /// <summary>The receive pipeline's step: decrypt and store in one commit.</summary>
    private static async Task<string> ReceiveAsync(AccountDatabase db, ProtocolAddress from, CiphertextMessage message, ulong timestamp)
    {
        await using var tx = await db.BeginTransactionAsync();
        var text = await Party(tx.ProtocolStores(AccountIdentity.Aci)).DecryptAsync(from, message);
        var stored = await tx.Inbox.InsertAsync(new InboxItem { Timestamp = timestamp, Sender = new InboxSender(Guid.Parse(from.Name), null, from.DeviceId), Body = text });
        Assert.True(stored.Inserted);
        await tx.CommitAsync();
        return text;
    }

    private static Task<List<CiphertextMessage>> NodeEncryptAsync(NodeOracle oracle, string party, ProtocolAddress to, params string[] texts)
        => new NodeSessions(oracle).EncryptAsync(party, to, texts.Select(Encoding.UTF8.GetBytes));

    private static async Task<string> NodeDecryptAsync(NodeOracle oracle, string party, ProtocolAddress from, CiphertextMessage message)
        => Encoding.UTF8.GetString(await new NodeSessions(oracle).DecryptOneAsync(party, from, message));
}
