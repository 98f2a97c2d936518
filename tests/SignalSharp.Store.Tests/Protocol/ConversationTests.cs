using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Store.Tests.Protocol;

/// <summary>
/// A real conversation where one side keeps all its protocol state in SQLite: the session setup from a PreKey
/// message, ratchet steps both ways, the database reopened between messages, and decryption plus inbox insert
/// committed as one transaction, the way the receive pipeline runs.
/// </summary>
public sealed class ConversationTests
{
    private static readonly ProtocolAddress AliceAddress = new("aaaaaaaa-0000-4000-8000-000000000001", 1);
    private static readonly ProtocolAddress BobAddress = new("bbbbbbbb-0000-4000-8000-000000000002", 1);
    private static readonly Guid AliceAci = Guid.Parse(AliceAddress.Name);

    private static ProtocolParty Bob(ProtocolStores s) => new(BobAddress, s.IdentityKeys, s.Sessions, s.PreKeys, s.SignedPreKeys, s.KyberPreKeys);

    [Fact]
    public async Task A_conversation_survives_reopening_the_database_between_every_message()
    {
        await using var t = await TestDatabase.OpenAsync();
        var alice = ProtocolParty.InMemory(AliceAddress);
        var stores = t.Db.ProtocolStores(AccountIdentity.Aci);
        await stores.IdentityKeys.SetLocalIdentityAsync(IdentityKeyPair.Generate(), 1234);
        var bundle = await Bob(stores).CreateBundleAsync(500);
        await alice.Builder.ProcessPreKeyBundleAsync(BobAddress, bundle);

        for (var round = 0; round < 4; round++)
        {
            var toBob = await alice.EncryptAsync(BobAddress, $"hello {round} 😀");
            if (round == 0)
            {
                Assert.Equal(CiphertextMessageType.PreKey, toBob.Type);
            }

            await t.ReopenAsync();
            Assert.Equal($"hello {round} 😀", await Bob(t.Db.ProtocolStores(AccountIdentity.Aci)).DecryptAsync(AliceAddress, toBob));

            await t.ReopenAsync();
            var toAlice = await Bob(t.Db.ProtocolStores(AccountIdentity.Aci)).EncryptAsync(AliceAddress, $"echo: {round}");
            Assert.Equal($"echo: {round}", await alice.DecryptAsync(BobAddress, toAlice));
        }

        // The one-time prekey was consumed by the first message, and Alice's identity was recorded.
        stores = t.Db.ProtocolStores(AccountIdentity.Aci);
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => stores.PreKeys.LoadPreKeyAsync(502));
        Assert.Equal((await alice.Identities.GetIdentityKeyPairAsync()).IdentityKey, await stores.IdentityKeys.GetIdentityAsync(AliceAddress));
    }

    [Fact]
    public async Task Decrypt_and_inbox_insert_commit_together_and_a_rollback_lets_the_redelivery_decrypt_again()
    {
        await using var t = await TestDatabase.OpenAsync();
        var alice = ProtocolParty.InMemory(AliceAddress);
        await t.Db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.SetLocalIdentityAsync(IdentityKeyPair.Generate(), 1234);
        await alice.Builder.ProcessPreKeyBundleAsync(BobAddress, await Bob(t.Db.ProtocolStores(AccountIdentity.Aci)).CreateBundleAsync(700));
        var messages = new List<CiphertextMessage>();
        for (var i = 0; i < 3; i++)
        {
            messages.Add(await alice.EncryptAsync(BobAddress, "msg " + i));
        }

        // The daemon crashes after decrypting the first message but before committing: nothing of it remains.
        await using (var tx = await t.Db.BeginTransactionAsync())
        {
            var text = await Bob(tx.ProtocolStores(AccountIdentity.Aci)).DecryptAsync(AliceAddress, messages[0]);
            await tx.Inbox.InsertAsync(new InboxItem { Timestamp = 1, Sender = new InboxSender(AliceAci, null, 1), Body = text });
        }

        Assert.Equal(0, await t.Db.Inbox.CountPendingAsync());
        Assert.Null(await t.Db.ProtocolStores(AccountIdentity.Aci).Sessions.LoadSessionAsync(AliceAddress));

        // The server redelivers everything; this time each message is committed with its inbox item.
        for (var i = 0; i < messages.Count; i++)
        {
            await using var tx = await t.Db.BeginTransactionAsync();
            var text = await Bob(tx.ProtocolStores(AccountIdentity.Aci)).DecryptAsync(AliceAddress, messages[i]);
            var result = await tx.Inbox.InsertAsync(new InboxItem { Timestamp = (ulong)(i + 1), Sender = new InboxSender(AliceAci, null, 1), Body = text });
            Assert.True(result.Inserted);
            await tx.CommitAsync();
        }

        Assert.Equal(["msg 0", "msg 1", "msg 2"], (await t.Db.Inbox.TakeAsync(10)).Select(i => i.Body));

        // A second redelivery of a committed message is recognised by the ratchet, and by the inbox.
        await Assert.ThrowsAnyAsync<ProtocolException>(() => Bob(t.Db.ProtocolStores(AccountIdentity.Aci)).DecryptAsync(AliceAddress, messages[1]));
        Assert.True(await t.Db.Inbox.ContainsAsync(AliceAci, 1, 2));
    }
}
