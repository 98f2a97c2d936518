using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// Joining by an invite link against Signal's mock server (its group server taught the join info route and the link
/// password check by our harness): a link that lets anyone in makes the account a member (the server's state shows it,
/// the members' libsignal gets the signed change); a link that needs approval makes it a requesting member, listed as
/// such and refused a second request; a damaged link and a reset one are refused; a profile key rotation leaves the
/// group it only asked to join and one it is only invited to alone and goes through.
/// </summary>
public sealed class MockGroupJoinTests
{
    [Fact]
    public async Task Joins_by_an_open_link_and_asks_to_join_by_one_that_needs_approval()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var self = account.Record.Aci;

        // Alice's group with an open link: the account joins and the members hear of it.
        var open = await mock.CreateGroupAsync("Open door", ["bob"], by: "alice", storageSync: false, cancellationToken: ct);
        var (linkRevision, url) = await mock.SetGroupLinkAsAsync(open.MasterKey, "alice", approval: false, ct);
        var joined = await account.JoinGroupAsync(url, ct);
        Assert.False(joined.OnlyRequested);
        Assert.Equal(Convert.ToBase64String(open.GroupId), joined.GroupId.ToBase64());
        Assert.Equal(linkRevision + 1, joined.Revision);
        var server = (await mock.ServerGroupAsync(open.MasterKey, ct))!;
        Assert.Equal((joined.Revision, 1), (server.Revision, server.RoleOf(self)));
        var stored = (await account.Database.Groups.GetAsync(open.GroupId, ct))!;
        Assert.True(stored.IsMember(self));
        Assert.Equal(("Open door", server.Revision), (stored.Title, stored.Revision));
        Assert.Equal(2, joined.Results.Count(r => r.Success));
        foreach (var at in new[] { "alice", "bob" })
        {
            var got = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
            Assert.Equal(self, got.SourceAci);
            Assert.Equal((ulong)joined.Timestamp, got.Timestamp);
            Assert.Equal(joined.Revision, got.GroupRevision);
            var check = await mock.InspectGroupChangeAsync(Assert.IsType<byte[]>(got.GroupChange), ct);
            Assert.True(check.SignatureValid);
        }

        // Joining a group it is in changes nothing.
        var again = await account.JoinGroupAsync(url, ct);
        Assert.Equal((joined.Revision, 0L), (again.Revision, again.Timestamp));

        // Bob's group needs approval: the account only asks, and waits.
        var guarded = await mock.CreateGroupAsync("Front desk", ["alice"], by: "bob", storageSync: false, cancellationToken: ct);
        var (_, guardedUrl) = await mock.SetGroupLinkAsAsync(guarded.MasterKey, "bob", approval: true, ct);
        var asked = await account.JoinGroupAsync(guardedUrl, ct);
        Assert.True(asked.OnlyRequested);
        Assert.Equal(0L, asked.Timestamp);
        server = (await mock.ServerGroupAsync(guarded.MasterKey, ct))!;
        Assert.Equal([self], server.Requesting);
        Assert.Null(server.RoleOf(self));
        var listed = (await account.ListGroupsAsync(ct)).Single(g => g.Id.Equals(asked.GroupId));
        Assert.Equal(("Front desk", false), (listed.Title, listed.IsMember));
        Assert.Equal([self.ToString()], listed.RequestingMembers.Select(r => r.ServiceId));
        await Assert.ThrowsAsync<PendingAdminApprovalException>(() => account.JoinGroupAsync(guardedUrl, ct));

        // A damaged link, and a link reset since (its old password no longer opens the group).
        await Assert.ThrowsAsync<InvalidGroupLinkException>(() => account.JoinGroupAsync("https://signal.group/#AAAA", ct));
        var third = await mock.CreateGroupAsync("Reset", ["alice"], by: "bob", storageSync: false, cancellationToken: ct);
        var (_, oldUrl) = await mock.SetGroupLinkAsAsync(third.MasterKey, "bob", approval: false, ct);
        await mock.SetGroupLinkAsAsync(third.MasterKey, "bob", approval: false, ct);
        await Assert.ThrowsAsync<InactiveGroupLinkException>(() => account.JoinGroupAsync(oldUrl, ct));
        Assert.Null((await mock.ServerGroupAsync(third.MasterKey, ct))!.RoleOf(self));

        // A profile key rotation while the account only asks to join one group and is only invited to another: Signal's
        // apps cannot record a new key there (only members change their key), so neither group is touched and the
        // rotation goes through; the group it is a member of records the new key (one change).
        var invitedTo = await mock.CreateGroupAsync("Waiting room", ["alice"], by: "bob", storageSync: false, cancellationToken: ct);
        var invitedAt = await mock.InviteToGroupAsync(invitedTo, "phone", by: "bob", cancellationToken: ct);
        Assert.Contains((await mock.ServerGroupAsync(invitedTo.MasterKey, ct))!.Pending, p => p.ServiceId.EndsWith(self.ToString(), StringComparison.OrdinalIgnoreCase));
        var guardedAt = (await mock.ServerGroupAsync(guarded.MasterKey, ct))!.Revision;
        var openAt = (await mock.ServerGroupAsync(open.MasterKey, ct))!.Revision;
        var oldKey = account.Record.ProfileKey!;
        await account.People.UpdateProfileAsync(new ProfileUpdate("Ada", null, null, null) { RotateProfileKey = true }, ct);
        Assert.NotEqual(oldKey, account.Record.ProfileKey);
        server = (await mock.ServerGroupAsync(guarded.MasterKey, ct))!;
        Assert.Equal(guardedAt, server.Revision);
        Assert.Equal([self], server.Requesting);
        server = (await mock.ServerGroupAsync(invitedTo.MasterKey, ct))!;
        Assert.Equal(invitedAt, server.Revision);
        Assert.Contains(server.Pending, p => p.ServiceId.EndsWith(self.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Equal(openAt + 1, (await mock.ServerGroupAsync(open.MasterKey, ct))!.Revision);
    }
}
