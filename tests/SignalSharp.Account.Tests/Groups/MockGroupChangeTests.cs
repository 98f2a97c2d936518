using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// Changing a group the account created, against Signal's real mock server (its group server extended by our harness
/// with the actions it lacks, under the group server's access rules): each change is a PATCH the server signs; the
/// server's state shows it, the stored revision follows the server's, and the members' libsignal gets the new
/// revision with the change whose notary signature verifies against the server's public params.
/// </summary>
public sealed class MockGroupChangeTests
{
    [Fact]
    public async Task Renames_adds_removes_promotes_sets_permissions_and_manages_the_invite_link()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(200));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob,Carol", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob", "carol"], ct);
        var alice = Aci(mock, "alice");
        var bob = Aci(mock, "bob");
        var carol = Aci(mock, "carol");
        await MockGroupCreationTests.KnowProfileKeysAsync(linked, ["alice", "bob", "carol"], ct);
        var created = await account.CreateGroupAsync(new GroupChangeRequest { Name = "Ops", AddMembers = [Address(alice), Address(bob)] }, ct);
        var id = created.GroupId;
        var masterKey = (await account.Database.Groups.GetAsync(id.Bytes.ToArray(), ct))!.MasterKey;
        await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct);
        await mock.WaitForGroupMessageAsync("bob", cancellationToken: ct);

        // Revision 1: name, description, timer.
        var renamed = await account.UpdateGroupAsync(id, new GroupChangeRequest { Name = "Ops war room", Description = "incident 7", ExpirationSeconds = 600 }, ct);
        var server = (await mock.ServerGroupAsync(masterKey, ct))!;
        Assert.Equal((1u, "Ops war room", "incident 7", 600u), (server.Revision, server.Title, server.Description, server.Timer));
        await ExpectAnnouncementAsync(mock, ["alice", "bob"], masterKey, renamed, ct);
        await ExpectStoredAsync(account, id, server.Revision, ct);

        // Revision 2: Carol added (her presentation verified by the server), Alice an administrator.
        var added = await account.UpdateGroupAsync(id, new GroupChangeRequest { AddMembers = [Address(carol)], AddAdmins = [Address(alice)] }, ct);
        server = (await mock.ServerGroupAsync(masterKey, ct))!;
        Assert.Equal(2u, server.Revision);
        Assert.Equal(1, server.RoleOf(carol));
        Assert.Equal(2, server.RoleOf(alice));
        await ExpectAnnouncementAsync(mock, ["alice", "bob", "carol"], masterKey, added, ct);

        // Revision 3: Bob removed; he hears of it too (1:1), the others as the group.
        var removed = await account.UpdateGroupAsync(id, new GroupChangeRequest { RemoveMembers = [Address(bob)] }, ct);
        server = (await mock.ServerGroupAsync(masterKey, ct))!;
        Assert.Equal(3u, server.Revision);
        Assert.Null(server.RoleOf(bob));
        await ExpectAnnouncementAsync(mock, ["alice", "bob", "carol"], masterKey, removed, ct);
        var stored = await ExpectStoredAsync(account, id, 3, ct);
        Assert.Equal(new[] { account.Record.Aci, alice, carol }.Order(), stored.Members.Select(m => m.Aci).Order());
        Assert.Equal(2, stored.Members.Single(m => m.Aci == alice).Role);

        // Revision 4: only administrators add members, edit details and send (an announcement group).
        await account.UpdateGroupAsync(id, new GroupChangeRequest
        {
            AddMembersPermission = GroupPermission.OnlyAdmins, EditDetailsPermission = GroupPermission.OnlyAdmins, SendMessagesPermission = GroupPermission.OnlyAdmins,
        }, ct);
        server = (await mock.ServerGroupAsync(masterKey, ct))!;
        Assert.Equal(4u, server.Revision);
        Assert.Equal((3, 3, 4), server.Access);
        Assert.True(server.AnnouncementsOnly);

        // Revisions 5-7: the invite link enabled (with a new 16-byte password), reset (another password), disabled.
        await account.UpdateGroupAsync(id, new GroupChangeRequest { Link = GroupLinkState.Enabled }, ct);
        server = (await mock.ServerGroupAsync(masterKey, ct))!;
        Assert.Equal((5u, 1), (server.Revision, server.Access.AddFromInviteLink));
        var password = Assert.IsType<byte[]>(server.InviteLinkPassword);
        Assert.Equal(16, password.Length);
        await account.UpdateGroupAsync(id, new GroupChangeRequest { ResetLink = true }, ct);
        server = (await mock.ServerGroupAsync(masterKey, ct))!;
        Assert.Equal(6u, server.Revision);
        Assert.NotEqual(password, server.InviteLinkPassword);
        await account.UpdateGroupAsync(id, new GroupChangeRequest { Link = GroupLinkState.Disabled }, ct);
        server = (await mock.ServerGroupAsync(masterKey, ct))!;
        Assert.Equal((7u, 4), (server.Revision, server.Access.AddFromInviteLink));
        await ExpectStoredAsync(account, id, 7, ct);

        // Asking for what already is changes nothing and sends nothing.
        var unchanged = await account.UpdateGroupAsync(id, new GroupChangeRequest { Name = "Ops war room", Link = GroupLinkState.Disabled }, ct);
        Assert.Equal((7u, 0L), (unchanged.Revision, unchanged.Timestamp));
        Assert.Equal(7u, (await mock.ServerGroupAsync(masterKey, ct))!.Revision);
    }

    private static async Task ExpectAnnouncementAsync(MockServer mock, IReadOnlyList<string> at, byte[] masterKey, GroupChangeResult result, CancellationToken ct)
    {
        foreach (var name in at)
        {
            var got = await mock.WaitForGroupMessageAsync(name, cancellationToken: ct);
            Assert.Equal(masterKey, got.GroupMasterKey);
            Assert.Equal(result.Revision, got.GroupRevision);
            Assert.Equal((ulong)result.Timestamp, got.Timestamp);
            var check = await mock.InspectGroupChangeAsync(Assert.IsType<byte[]>(got.GroupChange), ct);
            Assert.True(check.SignatureValid);
            Assert.Equal(result.Revision, check.Version);
        }
    }

    private static async Task<Store.Groups.GroupRecord> ExpectStoredAsync(LinkedAccount account, GroupId id, uint revision, CancellationToken ct)
    {
        var stored = (await account.Database.Groups.GetAsync(id.Bytes.ToArray(), ct))!;
        Assert.Equal(revision, stored.Revision);
        return stored;
    }

    private static Guid Aci(MockServer mock, string name) => Guid.Parse(mock.Contact(name)["aci"]!.GetValue<string>());

    private static RecipientAddress Address(Guid aci) => RecipientAddress.Aci(new Aci(aci));
}
