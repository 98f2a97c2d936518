using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Messages;
using SignalSharp.Account.Receiving;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Storage;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Groups;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// The group side of the receive pipeline on decrypted content (plaintext-content envelopes, so no session is
/// needed): a member's SenderKeyDistributionMessage is stored and opens its later sender-key messages; a group
/// context names the inbox item's group; a resend request for one of our sender-key messages makes the next group
/// send distribute our key to that device again.
/// </summary>
public sealed class GroupReceiveTests
{
    [Fact]
    public async Task Sender_keys_group_ids_and_sender_key_resend_requests_are_handled()
    {
        var directory = Directory.CreateTempSubdirectory("signalsharp-group-receive-").FullName;
        try
        {
            await using var db = await AccountDatabase.OpenAsync(directory);
            var me = Guid.NewGuid();
            await db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.SetLocalIdentityAsync(IdentityKeyPair.Generate(), 1234);
            var processor = new EnvelopeProcessor(db, me, 2, "+15550001111", [ECKeyPair.Generate().PublicKey], NullLogger.Instance);
            var alice = Guid.NewGuid();
            var aliceAddress = new ProtocolAddress(alice.ToString(), 3);

            // Alice's sender key, distributed to us.
            var distributionId = Guid.NewGuid();
            var aliceKeys = new InMemorySenderKeyStore();
            var skdm = await new GroupSessionBuilder(aliceKeys).CreateAsync(aliceAddress, distributionId);
            Assert.Equal(EnvelopeOutcome.Recorded, await processor.ProcessAsync(Plaintext(alice, 3, 1000,
                new Proto.Content { SenderKeyDistributionMessage = ByteString.CopyFrom(skdm.Serialize()) }), default));
            var message = await new GroupCipher(aliceKeys).EncryptAsync(aliceAddress, distributionId, "group secret"u8.ToArray());
            var opened = await new GroupCipher(db.ProtocolStores(AccountIdentity.Aci).SenderKeys).DecryptAsync(aliceAddress, message.Serialize());
            Assert.Equal("group secret"u8.ToArray(), opened);

            // A data message with a group context: the item carries the group identifier derived from the master key.
            var masterKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
            var groupText = new Proto.Content
            {
                DataMessage = new Proto.DataMessage
                {
                    Body = "in the group", Timestamp = 2000,
                    GroupV2 = new Proto.GroupContextV2 { MasterKey = ByteString.CopyFrom(masterKey), Revision = 4 },
                },
            };
            Assert.Equal(EnvelopeOutcome.Stored, await processor.ProcessAsync(Plaintext(alice, 3, 2000, groupText), default));
            var item = Assert.Single(await db.Inbox.TakeAsync(10));
            Assert.Equal("in the group", item.Body);
            Assert.Equal(ZkGroup.Groups.GroupSecretParams.DeriveFromMasterKey(new ZkGroup.Groups.GroupMasterKey(masterKey)).GroupIdentifier.ToArray(), item.GroupId);

            // Alice's device 3 could not read our sender-key message (no ratchet key in the request): its share is
            // forgotten; her other device's share and a request naming another of our devices change nothing.
            var groupId = new byte[32];
            await db.Groups.UpsertAsync(new GroupRecord(groupId, masterKey, 4, "g", [new GroupMemberRecord(alice, 1, null, 0)], [], [], false, null, DateTimeOffset.UtcNow));
            var ours = await db.SenderKeyShares.GetOrCreateDistributionIdAsync(groupId);
            await db.SenderKeyShares.MarkSharedAsync(ours, [(alice, 3u), (alice, 4u)]);
            var otherDevice = DecryptionErrorMessage.ForOriginal(message.Serialize(), CiphertextMessageType.SenderKey, 3000, 5);
            await processor.ProcessAsync(Plaintext(alice, 3, 3000, new Proto.Content { DecryptionErrorMessage = ByteString.CopyFrom(otherDevice.Serialize()) }), default);
            Assert.Equal(2, (await db.SenderKeyShares.SharedWithAsync(ours)).Count);
            var request = DecryptionErrorMessage.ForOriginal(message.Serialize(), CiphertextMessageType.SenderKey, 3001, 2);
            await processor.ProcessAsync(Plaintext(alice, 3, 3001, new Proto.Content { DecryptionErrorMessage = ByteString.CopyFrom(request.Serialize()) }), default);
            Assert.Equal((alice, 4u), Assert.Single(await db.SenderKeyShares.SharedWithAsync(ours)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ReceivedEnvelope Plaintext(Guid sender, uint device, ulong timestamp, Proto.Content content) => new()
    {
        Type = EnvelopeType.PlaintextContent, SourceServiceId = sender.ToString(), SourceDevice = device,
        ClientTimestamp = timestamp, ServerTimestamp = timestamp,
        Content = [0xC0, .. ContentPadding.Pad(content.ToByteArray())],
    };
}
