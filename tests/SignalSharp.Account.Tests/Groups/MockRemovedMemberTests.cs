using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;
using SignalSharp.Store.Groups;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// Knowing a group's master key is not membership. Against Signal's mock server: the phone removes Alice from a group
/// (the change reaches this device as the phone's Sent transcript); Alice's client is not told and keeps posting,
/// 1:1 with the group context (at the revision it last saw, at the current one, at one it makes up) and by the sender
/// key it shared while a member. None of it is handed out; neither is a text for a group no server knows, nor one
/// for a group of Alice's this account is not in. Bob, still a member, is heard.
/// </summary>
public sealed class MockRemovedMemberTests
{
    [Fact]
    public async Task A_removed_members_messages_and_messages_for_unknown_groups_are_not_handed_out()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        var aliceAci = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
        var bobAci = Guid.Parse(mock.Contact("bob")["aci"]!.GetValue<string>());

        // While a member, Alice is heard both ways (1:1 with the context; sealed v2 by her sender key).
        var group = await mock.CreateGroupAsync("Members only", ["alice", "bob"], storageSync: false, cancellationToken: ct);
        await mock.SendGroupTextAsync(group, "alice", "alice while a member", cancellationToken: ct);
        await mock.SendGroupSenderKeyTextAsync(group, "alice", "alice by sender key while a member", cancellationToken: ct);
        var before = await ReceiveAsync(account, 2, ct);
        Assert.Equal(["alice while a member", "alice by sender key while a member"], before.Select(m => m.Body));
        Assert.All(before, m => Assert.Equal(group.GroupIdBase64, m.GroupId?.ToBase64()));

        var removedAt = await mock.RemoveFromGroupAsync(group, "alice", cancellationToken: ct);
        Assert.Equal(group.Revision + 1, removedAt);
        var afterRemoval = await WaitForRevisionAsync(account, group.GroupId, removedAt, ct);
        Assert.False(afterRemoval.IsMember(aliceAci));
        Assert.True(afterRemoval.IsMember(bobAci));

        var handled = account.EnvelopesHandled;
        await mock.SendGroupTextAsync(group, "alice", "removed, stale revision", claimedRevision: group.Revision, cancellationToken: ct);
        await mock.SendGroupTextAsync(group, "alice", "removed, current revision", sealedSender: true, cancellationToken: ct);
        await mock.SendGroupTextAsync(group, "alice", "removed, made-up revision", claimedRevision: removedAt + 5, cancellationToken: ct);
        await mock.SendGroupSenderKeyTextAsync(group, "alice", "removed, by the old sender key", cancellationToken: ct);
        await mock.SendUnknownGroupTextAsync("alice", "to a group no server knows", cancellationToken: ct);
        var withoutUs = await mock.CreateGroupAsync("Alice and Bob only", ["bob"], by: "alice", storageSync: false, cancellationToken: ct);
        await mock.SendGroupTextAsync(withoutUs, "alice", "to a group this account is not in", cancellationToken: ct);
        await mock.SendGroupTextAsync(group, "bob", "bob, still a member", cancellationToken: ct);

        // Every one of them was taken from the server (each send above waits for our device's ack); only Bob's
        // reaches the inbox, as a message of the group.
        // The count moves just after the ack, so on a loaded machine it may trail the last send by a moment.
        var counted = System.Diagnostics.Stopwatch.StartNew();
        while (account.EnvelopesHandled - handled < 7 && counted.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50, ct);
        }

        Assert.True(account.EnvelopesHandled - handled >= 7, $"{account.EnvelopesHandled - handled} envelopes handled");
        var changes = new List<ReceivedGroupChange>();
        var after = await ReceiveAsync(account, 1, ct, changes);
        var fromBob = Assert.Single(after);
        // The removal itself came as a group change item, applied from the group's log.
        var removal = Assert.Single(changes);
        Assert.Equal(removedAt, removal.Revision);
        Assert.Equal(("member-removed", aciOf(aliceAci)), (Assert.Single(removal.Changes).Kind, removal.Changes[0].MemberServiceId));
        Assert.Equal("bob, still a member", fromBob.Body);
        Assert.Equal(bobAci.ToString(), fromBob.SenderServiceId?.ToString());
        Assert.Equal(group.GroupIdBase64, fromBob.GroupId?.ToBase64());
        Assert.Empty((await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromMilliseconds(500), true), ct)).Items);

        // The made-up revision made the account ask the group server, which still says Alice is out; the group this
        // account is not in was fetched to judge it, and stored as one it is not a member of.
        Assert.Equal(removedAt, (await account.Database.Groups.GetAsync(group.GroupId, ct))!.Revision);
        var notOurs = await account.Database.Groups.GetAsync(withoutUs.GroupId, ct);
        Assert.False(notOurs?.IsMember(account.Record.Aci) ?? false);
    }

    private static string aciOf(Guid aci) => aci.ToString();

    /// <summary>The next <paramref name="count"/> messages (group changes go to <paramref name="changes"/> when given; anything else fails the test).</summary>
    private static async Task<List<ReceivedMessage>> ReceiveAsync(LinkedAccount account, int count, CancellationToken ct, List<ReceivedGroupChange>? changes = null)
    {
        var messages = new List<ReceivedMessage>();
        while (messages.Count < count)
        {
            await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(20), true), ct);
            Assert.NotEmpty(batch.Items);
            changes?.AddRange(batch.Items.OfType<ReceivedGroupChange>());
            messages.AddRange(batch.Items.Where(i => changes is null || i is not ReceivedGroupChange).Select(i => Assert.IsType<ReceivedMessage>(i)));
            await batch.ConfirmAsync(ct);
        }

        return messages;
    }

    private static async Task<GroupRecord> WaitForRevisionAsync(LinkedAccount account, byte[] groupId, uint revision, CancellationToken ct)
    {
        while (true)
        {
            if (await account.Database.Groups.GetAsync(groupId, ct) is { } found && found.Revision >= revision)
            {
                return found;
            }

            await Task.Delay(100, ct);
        }
    }
}
