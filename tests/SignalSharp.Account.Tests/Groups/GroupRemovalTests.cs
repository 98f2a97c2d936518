using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Groups;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// The group server answers 403 for a group the account had stored: the account was removed. The mock server
/// cannot be made to say so (its <c>GET /v2/groups</c> serves the state to any valid presentation, member or not),
/// so the group is learned from the real mock and only the group server's answer afterwards is replaced.
/// </summary>
public sealed class GroupRemovalTests
{
    [Fact]
    public async Task A_403_for_a_stored_group_marks_the_account_not_a_member_and_sends_are_refused()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var group = await mock.CreateGroupAsync("Removed from", ["alice", "bob"], storageSync: false, cancellationToken: ct);
        var learned = await account.Groups.GetOrFetchAsync(group.MasterKey, null, ct);
        Assert.NotNull(learned);
        Assert.True(learned.IsMember(account.Record.Aci));
        var target = new GroupTarget(new GroupId(group.GroupId));
        await account.SendMessageAsync(target, new OutgoingMessage("still in", []), ct);
        Assert.Equal("still in", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal("still in", (await mock.WaitForGroupMessageAsync("bob", cancellationToken: ct)).Body);

        // A change at a newer revision is heard of; the group server now refuses the account.
        var asked = 0;
        account.Groups.GroupServerGet = (_, _, _) =>
        {
            Interlocked.Increment(ref asked);
            throw new GroupAccessDeniedException("/v2/groups", "Not a member of this group");
        };
        var after = await account.Groups.GetOrFetchAsync(group.MasterKey, group.Revision + 1, ct);
        Assert.Equal(2, asked); // Once more with fresh credentials before believing it.
        Assert.NotNull(after);
        Assert.False(after.IsMember(account.Record.Aci));
        Assert.Null(after.EndorsementsResponse);
        var stored = await account.Database.Groups.GetAsync(group.GroupId, ct);
        Assert.NotNull(stored);
        Assert.False(stored.IsMember(account.Record.Aci));
        // The other members stay as last known.
        Assert.Equal(group.Members.Select(m => m.Aci).Where(a => a != account.Record.Aci).Order(), stored.Members.Select(m => m.Aci).Order());

        await Assert.ThrowsAsync<NotAGroupMemberException>(() => account.SendMessageAsync(target, new OutgoingMessage("removed", []), ct));
        Assert.Equal(0, await mock.GroupQueueSizeAsync("alice", ct));
        Assert.Equal(0, await mock.GroupQueueSizeAsync("bob", ct));
    }
}
