using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Messages;
using SignalSharp.Account.Receiving;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Storage;
using SignalSharp.Store;
using SignalSharp.Store.Groups;
using SignalSharp.Store.Protocol;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// The group side of the receive pipeline, with real sessions: a member's SenderKeyDistributionMessage is stored and
/// opens its later sender-key messages; a group message is handed out only for a known group from a current member
/// (an unknown group or a newer revision is fetched first); a resend request for one of our sender-key messages (the
/// one content a plaintext envelope may carry) makes the next group send distribute our key to that device again.
/// </summary>
public sealed class GroupReceiveTests : IAsyncLifetime
{
    private static readonly byte[] MasterKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] GroupIdentifier = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(MasterKey)).GroupIdentifier.ToArray();
    private readonly string directory = Directory.CreateTempSubdirectory("signalsharp-group-receive-").FullName;
    private readonly Guid me = Guid.NewGuid();
    private readonly List<(byte[] MasterKey, uint Revision)> refreshes = [];
    private AccountDatabase db = null!;
    private EnvelopeProcessor processor = null!;
    private Func<Task> onRefresh = () => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        db = await AccountDatabase.OpenAsync(directory);
        await db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.SetLocalIdentityAsync(IdentityKeyPair.Generate(), 1234);
        processor = new EnvelopeProcessor(db, me, 2, "+15550001111", [ECKeyPair.Generate().PublicKey], NullLogger.Instance)
        {
            GroupRefresh = async (key, revision, _) => { refreshes.Add((key, revision)); await onRefresh(); },
        };
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private Task StoreGroupAsync(uint revision, params Guid[] members) => db.Groups.UpsertAsync(new GroupRecord(GroupIdentifier, MasterKey, revision, "g",
        [.. members.Select(m => new GroupMemberRecord(m, 1, null, 0))], [], [], false, null, DateTimeOffset.UtcNow));

    private static Proto.Content GroupText(string text, ulong timestamp, uint revision) => new()
    {
        DataMessage = new Proto.DataMessage
        {
            Body = text, Timestamp = timestamp,
            GroupV2 = new Proto.GroupContextV2 { MasterKey = ByteString.CopyFrom(MasterKey), Revision = revision },
        },
    };

    [Fact]
    public async Task A_members_sender_key_and_group_text_are_handled_and_a_sender_key_resend_request_forgets_the_share()
    {
        var alice = await SessionContact.CreateAsync(db, me, 2, device: 3);
        var aliceAddress = new ProtocolAddress(alice.Aci.ToString(), 3);
        await StoreGroupAsync(4, me, alice.Aci);

        // Alice's sender key, distributed to us.
        var distributionId = Guid.NewGuid();
        var aliceKeys = new InMemorySenderKeyStore();
        var skdm = await new GroupSessionBuilder(aliceKeys).CreateAsync(aliceAddress, distributionId);
        Assert.Equal(EnvelopeOutcome.Recorded, await processor.ProcessAsync(await alice.EnvelopeAsync(
            new Proto.Content { SenderKeyDistributionMessage = ByteString.CopyFrom(skdm.Serialize()) }, 1000), default));
        var message = await new GroupCipher(aliceKeys).EncryptAsync(aliceAddress, distributionId, "group secret"u8.ToArray());
        var opened = await new GroupCipher(db.ProtocolStores(AccountIdentity.Aci).SenderKeys).DecryptAsync(aliceAddress, message.Serialize());
        Assert.Equal("group secret"u8.ToArray(), opened);

        // A data message with a group context: the item carries the group identifier derived from the master key.
        Assert.Equal(EnvelopeOutcome.Stored, await processor.ProcessAsync(await alice.EnvelopeAsync(GroupText("in the group", 2000, 4), 2000), default));
        var item = Assert.Single(await db.Inbox.TakeAsync(10));
        Assert.Equal("in the group", item.Body);
        Assert.Equal(GroupIdentifier, item.GroupId);
        Assert.Empty(refreshes);

        // Alice's device 3 could not read our sender-key message (no ratchet key in the request): its share is
        // forgotten; her other device's share and a request naming another of our devices change nothing.
        var ours = await db.SenderKeyShares.GetOrCreateDistributionIdAsync(GroupIdentifier);
        await db.SenderKeyShares.MarkSharedAsync(ours, [(alice.Aci, 3u), (alice.Aci, 4u)]);
        var otherDevice = DecryptionErrorMessage.ForOriginal(message.Serialize(), CiphertextMessageType.SenderKey, 3000, 5);
        await processor.ProcessAsync(SessionContact.Forged(alice.Aci, 3, 3000, new Proto.Content { DecryptionErrorMessage = ByteString.CopyFrom(otherDevice.Serialize()) }), default);
        Assert.Equal(2, (await db.SenderKeyShares.SharedWithAsync(ours)).Count);
        var request = DecryptionErrorMessage.ForOriginal(message.Serialize(), CiphertextMessageType.SenderKey, 3001, 2);
        await processor.ProcessAsync(SessionContact.Forged(alice.Aci, 3, 3001, new Proto.Content { DecryptionErrorMessage = ByteString.CopyFrom(request.Serialize()) }), default);
        Assert.Equal((alice.Aci, 4u), Assert.Single(await db.SenderKeyShares.SharedWithAsync(ours)));
    }

    [Fact]
    public async Task A_removed_members_group_message_is_dropped_and_a_current_members_is_kept()
    {
        var mallory = await SessionContact.CreateAsync(db, me, 2);
        var bob = await SessionContact.CreateAsync(db, me, 2);
        await StoreGroupAsync(7, me, bob.Aci);

        Assert.Equal(EnvelopeOutcome.Recorded, await processor.ProcessAsync(await mallory.EnvelopeAsync(GroupText("still here", 100, 7), 100), default));
        // A stale revision does not help: the stored state is newer.
        Assert.Equal(EnvelopeOutcome.Recorded, await processor.ProcessAsync(await mallory.EnvelopeAsync(GroupText("from before", 101, 5), 101), default));
        Assert.Equal(EnvelopeOutcome.Stored, await processor.ProcessAsync(await bob.EnvelopeAsync(GroupText("hi all", 102, 7), 102), default));

        Assert.Equal(["hi all"], (await db.Inbox.TakeAsync(10)).Select(i => i.Body));
        Assert.Empty(refreshes);
    }

    [Fact]
    public async Task An_unknown_group_is_fetched_first_and_its_message_is_kept_only_when_the_fetch_knows_it()
    {
        var alice = await SessionContact.CreateAsync(db, me, 2);

        // The group server does not let us read it (or has no such group): nothing stored, the message is dropped.
        Assert.Equal(EnvelopeOutcome.Recorded, await processor.ProcessAsync(await alice.EnvelopeAsync(GroupText("who are you", 200, 1), 200), default));
        Assert.Equal(MasterKey, Assert.Single(refreshes).MasterKey);
        Assert.Equal(0, await db.Inbox.CountPendingAsync());

        // Now the fetch finds the group with Alice in it: the message is handed out as the group's.
        onRefresh = () => StoreGroupAsync(1, me, alice.Aci);
        Assert.Equal(EnvelopeOutcome.Stored, await processor.ProcessAsync(await alice.EnvelopeAsync(GroupText("welcome", 201, 1), 201), default));
        Assert.Equal(2, refreshes.Count);
        var item = Assert.Single(await db.Inbox.TakeAsync(10));
        Assert.Equal(GroupIdentifier, item.GroupId);
    }

    [Fact]
    public async Task A_newer_revision_refetches_before_membership_is_judged_also_from_a_batch()
    {
        var alice = await SessionContact.CreateAsync(db, me, 2);
        var carol = await SessionContact.CreateAsync(db, me, 2);
        await StoreGroupAsync(2, me, alice.Aci);

        // Carol was added at revision 3 (a group change the account has not fetched yet).
        onRefresh = () => StoreGroupAsync(3, me, alice.Aci, carol.Aci);
        var batch = await processor.TryProcessBatchAsync([await carol.EnvelopeAsync(GroupText("I joined", 300, 3), 300)], default);
        Assert.Null(batch);
        Assert.Empty(refreshes);
        Assert.Equal(EnvelopeOutcome.Stored, await processor.ProcessAsync(await carol.EnvelopeAsync(GroupText("I joined", 300, 3), 300), default));
        Assert.Equal((uint)3, Assert.Single(refreshes).Revision);
        Assert.Equal(["I joined"], (await db.Inbox.TakeAsync(10)).Select(i => i.Body));
    }
}
