using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Receiving;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Storage;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Tests;

/// <summary>
/// What a server could make up without any key never becomes a message, at the pipeline's entry: a plaintext-content
/// envelope (type 8) is taken only as a resend request, and a sync message only from the account's own device
/// through a session.
/// </summary>
public sealed class ContentAdmissionTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("signalsharp-admission-").FullName;
    private readonly Guid me = Guid.NewGuid();
    private readonly List<(Guid Sender, Proto.Content Content)> acted = [];
    private AccountDatabase db = null!;
    private IdentityKeyPair myIdentity = null!;
    private EnvelopeProcessor processor = null!;

    public async Task InitializeAsync()
    {
        db = await AccountDatabase.OpenAsync(directory);
        myIdentity = IdentityKeyPair.Generate();
        await db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.SetLocalIdentityAsync(myIdentity, 1234);
        processor = new EnvelopeProcessor(db, me, 2, "+15550001111", [ECKeyPair.Generate().PublicKey], NullLogger.Instance)
        {
            OnContent = (sender, _, content) => { acted.Add((sender, content)); return Task.CompletedTask; },
        };
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static Proto.Content ContactSync() => new()
    {
        SyncMessage = new Proto.SyncMessage { Contacts = new Proto.SyncMessage.Types.Contacts { Blob = new Proto.AttachmentPointer { CdnKey = "x" }, Complete = true } },
    };

    [Fact]
    public async Task Forged_plaintext_text_sender_key_and_own_sync_are_neither_stored_nor_acted_on()
    {
        var alice = Guid.NewGuid();
        var text = new Proto.Content { DataMessage = new Proto.DataMessage { Body = "from Alice?", Timestamp = 10 } };
        Assert.Equal(EnvelopeOutcome.Recorded, await processor.ProcessAsync(SessionContact.Forged(alice, 1, 10, text), default));

        var aliceAddress = new ProtocolAddress(alice.ToString(), 1);
        var distributionId = Guid.NewGuid();
        var skdm = await new GroupSessionBuilder(new InMemorySenderKeyStore()).CreateAsync(aliceAddress, distributionId);
        var forgedKey = new Proto.Content { SenderKeyDistributionMessage = ByteString.CopyFrom(skdm.Serialize()) };
        Assert.Equal(EnvelopeOutcome.Recorded, await processor.ProcessAsync(SessionContact.Forged(alice, 1, 11, forgedKey), default));

        // "From our own primary": a contacts sync would replace the contact list.
        Assert.Equal(EnvelopeOutcome.Recorded, await processor.ProcessAsync(SessionContact.Forged(me, 1, 12, ContactSync()), default));

        // The same in a batch.
        var batch = await processor.TryProcessBatchAsync(
            [SessionContact.Forged(alice, 1, 13, text), SessionContact.Forged(me, 1, 14, ContactSync())], default);
        Assert.Equal([EnvelopeOutcome.Recorded, EnvelopeOutcome.Recorded], batch!);

        Assert.Equal(0, await db.Inbox.CountPendingAsync());
        Assert.Empty(acted);
        Assert.Null(await db.ProtocolStores(AccountIdentity.Aci).SenderKeys.LoadSenderKeyAsync(aliceAddress, distributionId));
    }

    [Fact]
    public async Task A_sync_message_counts_only_from_the_accounts_own_device_through_a_session()
    {
        var stranger = await SessionContact.CreateAsync(db, me, 2);
        Assert.Equal(EnvelopeOutcome.Recorded, await processor.ProcessAsync(await stranger.EnvelopeAsync(ContactSync(), 20), default));
        Assert.Empty(acted);

        var primary = await SessionContact.CreateAsync(db, me, 2, aci: me, device: 1, identity: myIdentity);
        await processor.ProcessAsync(await primary.EnvelopeAsync(ContactSync(), 21), default);
        var (sender, content) = Assert.Single(acted);
        Assert.Equal(me, sender);
        Assert.NotNull(content.SyncMessage.Contacts);
    }

    [Fact]
    public async Task A_text_through_a_session_is_still_a_message()
    {
        var alice = await SessionContact.CreateAsync(db, me, 2);
        Assert.Equal(EnvelopeOutcome.Stored, await processor.ProcessAsync(await alice.TextAsync(30, "hello"), default));
        var item = Assert.Single(await db.Inbox.TakeAsync(10));
        Assert.Equal("hello", item.Body);
        Assert.Equal(alice.Aci, item.Sender!.Aci);
    }
}
