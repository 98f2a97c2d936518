using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;
using SignalSharp.Store.Groups;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// Group messaging against Signal's real mock server: the phone creates a group with Alice and Bob and syncs its
/// storage, from which the linked account learns it; the account sends a text and a reaction to it (sender key distributed 1:1, then one sealed v2 sender-key message
/// through the multi-recipient send), which the contacts' libsignal decrypts with the group's context; their
/// group texts (Alice by sender key, sealed v2; Bob 1:1) arrive with the group id; unknown groups and groups the
/// account is not a member of are refused.
/// </summary>
public sealed class MockGroupMessagingTests
{
    [Fact]
    public async Task Sends_and_receives_group_texts_and_reactions_with_the_group_context()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var aliceAci = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
        var bobAci = Guid.Parse(mock.Contact("bob")["aci"]!.GetValue<string>());

        // The phone creates the group and syncs its storage: the account learns it (group manager: storage service,
        // group server) with its members as the mock made them.
        var group = await mock.CreateGroupAsync("Echo test group", ["alice", "bob"], storageSync: true, cancellationToken: ct);
        // Our derivation of the group identifier agrees with the mock's libsignal.
        Assert.Equal(group.GroupId, Receiving.GroupMessages.GroupIdFromMasterKey(group.MasterKey));
        GroupRecord? learned = null;
        for (var i = 0; i < 200 && learned is null; i++)
        {
            await Task.Delay(100, ct);
            learned = await account.Database.Groups.GetAsync(group.GroupId, ct);
        }

        Assert.NotNull(learned);
        Assert.Equal(group.MasterKey, learned.MasterKey);
        Assert.Equal(group.Revision, learned.Revision);
        Assert.Equal(group.Members.Select(m => m.Aci).Order(), learned.Members.Select(m => m.Aci).Order());
        var target = new GroupTarget(new GroupId(group.GroupId));

        // A text: both contacts decrypt it, with the group's master key and revision, from our device.
        var sent = await account.SendMessageAsync(target, new OutgoingMessage("hello group ✓", []), ct);
        foreach (var at in new[] { "alice", "bob" })
        {
            var got = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
            Assert.Equal("hello group ✓", got.Body);
            Assert.Equal((ulong)sent.Timestamp, got.Timestamp);
            Assert.Equal(group.MasterKey, got.GroupMasterKey);
            Assert.Equal(group.Revision, got.GroupRevision);
            Assert.Equal(account.Record.Aci, got.SourceAci);
        }

        var first = account.LastGroupSend!;
        Assert.True(first.MultiRecipient);
        Assert.Equal(2, first.SenderKeyRecipients);
        Assert.Equal(0, first.FallbackRecipients);
        Assert.Equal(2, first.DistributedTo);
        // The group server's send endorsements (kept with the group) verified here and became the Group-Send-Token.
        Assert.NotNull(learned.EndorsementsResponse);
        Assert.True(first.Endorsed);
        // The phone (our own account) got the Sent transcript with the group context.
        var transcript = await mock.WaitForSentTranscriptAsync((ulong)sent.Timestamp, cancellationToken: ct);
        Assert.Equal("hello group ✓", transcript.Body);
        Assert.Equal(group.MasterKey, transcript.GroupMasterKey);

        // A reaction to Alice's message: the sender key is already shared, so no new distribution.
        var reaction = await account.SendReactionAsync(target, new OutgoingReaction("👍", RecipientAddress.Aci(new Aci(aliceAci)), 1234567, false), ct);
        foreach (var at in new[] { "alice", "bob" })
        {
            var got = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
            Assert.Equal("👍", got.ReactionEmoji);
            Assert.False(got.ReactionRemove);
            Assert.Equal(aliceAci, got.ReactionTargetAuthor);
            Assert.Equal(1234567UL, got.ReactionTargetTimestamp);
            Assert.Equal((ulong)reaction.Timestamp, got.Timestamp);
            Assert.Equal(group.MasterKey, got.GroupMasterKey);
        }

        Assert.Equal(0, account.LastGroupSend!.DistributedTo);
        Assert.Equal(2, account.LastGroupSend.SenderKeyRecipients);

        // A text with an attachment: uploaded once, the same pointer to both.
        await account.SendMessageAsync(target, new OutgoingMessage("with a file", [new OutgoingAttachment("file body"u8.ToArray(), "note.txt", "text/plain")]), ct);
        foreach (var at in new[] { "alice", "bob" })
        {
            var got = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
            Assert.Equal("with a file", got.Body);
            Assert.Equal(["note.txt"], got.AttachmentFileNames);
            Assert.Equal(group.MasterKey, got.GroupMasterKey);
        }

        // Their group texts: Alice by sender key (sealed v2), Bob 1:1 sealed with the group context.
        var fromAlice = await mock.SendGroupSenderKeyTextAsync(group, "alice", "alice in the group", cancellationToken: ct);
        var fromAlice2 = await mock.SendGroupSenderKeyTextAsync(group, "alice", "alice again", cancellationToken: ct);
        var fromBob = await mock.SendGroupTextAsync(group, "bob", "bob in the group", sealedSender: true, cancellationToken: ct);
        var received = new List<ReceivedMessage>();
        while (received.Count < 3)
        {
            await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(10), true), ct);
            Assert.NotEmpty(batch.Items);
            received.AddRange(batch.Items.Select(i => Assert.IsType<ReceivedMessage>(i)));
            await batch.ConfirmAsync(ct);
        }

        Assert.Equal(["alice in the group", "alice again", "bob in the group"], received.Select(m => m.Body));
        Assert.Equal([(long)fromAlice, (long)fromAlice2, (long)fromBob], received.Select(m => m.Timestamp));
        Assert.Equal([aliceAci.ToString(), aliceAci.ToString(), bobAci.ToString()], received.Select(m => m.SenderServiceId?.ToString()));
        Assert.All(received, m => Assert.Equal(group.GroupIdBase64, m.GroupId?.ToBase64()));

        // A 1:1 text still has no group id.
        await mock.CommandAsync("sendText", new System.Text.Json.Nodes.JsonObject { ["from"] = "alice", ["text"] = "just to you" }, ct);
        await using var directBatch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(10), true), ct);
        var direct = Assert.IsType<ReceivedMessage>(Assert.Single(directBatch.Items));
        await directBatch.ConfirmAsync(ct);
        Assert.Equal("just to you", direct.Body);
        Assert.Null(direct.GroupId);

        // GROUP_NOT_FOUND: a group id the account does not know.
        var unknown = new GroupTarget(new GroupId(Enumerable.Repeat((byte)7, 32).ToArray()));
        await Assert.ThrowsAsync<GroupNotFoundException>(() => account.SendMessageAsync(unknown, new OutgoingMessage("x", []), ct));
        await Assert.ThrowsAsync<GroupNotFoundException>(() => account.SendReactionAsync(unknown, new OutgoingReaction("👍", RecipientAddress.Aci(new Aci(aliceAci)), 1, false), ct));

        // NOT_A_GROUP_MEMBER: only invited (pending), and removed (not in the member list at all).
        var invitedOnly = LinkedMock.RecordOf(group) with
        {
            GroupId = Enumerable.Repeat((byte)8, 32).ToArray(),
            Members = [new GroupMemberRecord(aliceAci, 2, null, 0)],
            PendingMembers = [account.Record.Aci],
        };
        var removed = invitedOnly with { GroupId = Enumerable.Repeat((byte)9, 32).ToArray(), PendingMembers = [] };
        foreach (var notMine in new[] { invitedOnly, removed })
        {
            await account.Database.Groups.UpsertAsync(notMine, ct);
            var notMember = new GroupTarget(new GroupId(notMine.GroupId));
            await Assert.ThrowsAsync<NotAGroupMemberException>(() => account.SendMessageAsync(notMember, new OutgoingMessage("x", []), ct));
            await Assert.ThrowsAsync<NotAGroupMemberException>(() => account.SendReactionAsync(notMember, new OutgoingReaction("👍", RecipientAddress.Aci(new Aci(aliceAci)), 1, false), ct));
        }

        // Nothing of those refused sends reached anyone.
        Assert.Equal(0, await mock.GroupQueueSizeAsync("alice", ct));
        Assert.Equal(0, await mock.GroupQueueSizeAsync("bob", ct));
    }
}
