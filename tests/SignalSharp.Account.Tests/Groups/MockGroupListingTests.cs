using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// listGroups against Signal's mock server: everything the group's state says (description, timer, permissions,
/// pending and requesting members, the invite link) as the account stored it from the server's state and from the
/// changes it applied; the link decodes with Signal's own proto to the group's master key and the server's password.
/// Join requests by that link: the account approves one by adding the requester (signal-cli's --member) and denies
/// another by removing them (--remove-member), as the group server's state then shows.
/// </summary>
public sealed class MockGroupListingTests
{
    [Fact]
    public async Task Lists_what_the_group_state_holds_and_answers_join_requests()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob,Carol,Dave", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob", "dave"], ct);
        var (alice, bob, carol, dave) = (Aci(mock, "alice"), Aci(mock, "bob"), Aci(mock, "carol"), Aci(mock, "dave"));
        await MockGroupCreationTests.KnowProfileKeysAsync(linked, ["alice"], ct);

        var created = await account.CreateGroupAsync(new GroupChangeRequest
        {
            Name = "Ops", Description = "on call", ExpirationSeconds = 600, AddMembers = [Address(alice), Address(carol)],
        }, ct);
        var id = created.GroupId;
        await account.UpdateGroupAsync(id, new GroupChangeRequest { Link = GroupLinkState.EnabledWithApproval, AddMembersPermission = GroupPermission.OnlyAdmins }, ct);
        var masterKey = (await account.Database.Groups.GetAsync(id.Bytes.ToArray(), ct))!.MasterKey;
        var server = (await mock.ServerGroupAsync(masterKey, ct))!;

        var listed = Assert.Single(await account.ListGroupsAsync(ct));
        Assert.Equal((id, "Ops", "on call", 600u, 1u), (listed.Id, listed.Title, listed.Description, listed.ExpirationSeconds, listed.Revision));
        Assert.True(listed.IsMember);
        Assert.False(listed.IsBlocked);
        Assert.Equal((GroupPermission.OnlyAdmins, GroupPermission.EveryMember, false), (listed.AddMemberPermission, listed.EditDetailsPermission, listed.SendOnlyAdmins));
        Assert.Equal([(account.Record.Aci.ToString(), true), (alice.ToString(), false)], listed.Members.Select(m => (m.ServiceId, m.IsAdmin)));
        Assert.Equal([carol.ToString()], listed.PendingMembers.Select(p => p.ServiceId));
        Assert.Empty(listed.RequestingMembers);
        Assert.True(listed.InviteLinkNeedsApproval);
        var link = Assert.IsType<string>(listed.InviteLink);
        Assert.StartsWith("https://signal.group/#", link, StringComparison.Ordinal);
        var decoded = await mock.DecodeGroupLinkAsync(link, ct);
        Assert.Equal(masterKey, decoded.MasterKey);
        Assert.Equal(server.InviteLinkPassword, decoded.Password);

        // Bob and Dave ask to join by the link; the account learns of it from the change log.
        Assert.Equal((2u, true), await mock.JoinByLinkAsAsync(link, "bob", ct));
        Assert.Equal((3u, true), await mock.JoinByLinkAsAsync(link, "dave", ct));
        Assert.Equal(new[] { bob, dave }.Order(), (await mock.ServerGroupAsync(masterKey, ct))!.Requesting.Order());
        await account.Groups.GetOrFetchAsync(masterKey, 3, ct);
        listed = Assert.Single(await account.ListGroupsAsync(ct));
        Assert.Equal(3u, listed.Revision);
        Assert.Equal(new[] { bob.ToString(), dave.ToString() }.Order(), listed.RequestingMembers.Select(r => r.ServiceId).Order());
        // Still the details stored at creation: the log's changes were applied to them, not to an empty state.
        Assert.Equal(("on call", 600u, GroupPermission.OnlyAdmins), (listed.Description, listed.ExpirationSeconds, listed.AddMemberPermission));

        // Adding Bob approves his request; removing Dave denies his.
        await account.UpdateGroupAsync(id, new GroupChangeRequest { AddMembers = [Address(bob)], RemoveMembers = [Address(dave)] }, ct);
        server = (await mock.ServerGroupAsync(masterKey, ct))!;
        Assert.Equal(4u, server.Revision);
        Assert.Equal(1, server.RoleOf(bob));
        Assert.Null(server.RoleOf(dave));
        Assert.Empty(server.Requesting);
        var approved = await mock.WaitForGroupMessageAsync("bob", cancellationToken: ct);
        Assert.Equal(masterKey, approved.GroupMasterKey);
        Assert.Equal(4u, approved.GroupRevision);

        listed = Assert.Single(await account.ListGroupsAsync(ct));
        Assert.Equal(4u, listed.Revision);
        Assert.Contains(bob.ToString(), listed.Members.Select(m => m.ServiceId));
        Assert.Empty(listed.RequestingMembers);
    }

    private static Guid Aci(MockServer mock, string name) => Guid.Parse(mock.Contact(name)["aci"]!.GetValue<string>());

    private static RecipientAddress Address(Guid aci) => RecipientAddress.Aci(new Aci(aci));
}
