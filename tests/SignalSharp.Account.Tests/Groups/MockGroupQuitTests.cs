using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>Leaving a group the account administers, against the mock's group server: the last admin must name a new one.</summary>
public sealed class MockGroupQuitTests
{
    [Fact]
    public async Task The_last_admin_leaves_only_after_naming_a_new_one_and_the_members_hear_of_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var alice = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
        var bob = Guid.Parse(mock.Contact("bob")["aci"]!.GetValue<string>());
        await MockGroupCreationTests.KnowProfileKeysAsync(linked, ["alice", "bob"], ct);
        var created = await account.CreateGroupAsync(new GroupChangeRequest
        {
            Name = "Leaving", AddMembers = [RecipientAddress.Aci(new Aci(alice)), RecipientAddress.Aci(new Aci(bob))],
        }, ct);
        var masterKey = (await account.Database.Groups.GetAsync(created.GroupId.Bytes.ToArray(), ct))!.MasterKey;
        await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct);
        await mock.WaitForGroupMessageAsync("bob", cancellationToken: ct);

        var refused = await Assert.ThrowsAsync<GroupChangeFailedException>(() => account.QuitGroupAsync(created.GroupId, [], ct));
        Assert.Contains("--admin", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0u, (await mock.ServerGroupAsync(masterKey, ct))!.Revision);

        var quit = await account.QuitGroupAsync(created.GroupId, [RecipientAddress.Aci(new Aci(alice))], ct);
        var server = (await mock.ServerGroupAsync(masterKey, ct))!;
        Assert.Equal(1u, server.Revision);
        Assert.Null(server.RoleOf(account.Record.Aci));
        Assert.Equal(2, server.RoleOf(alice));
        Assert.Equal(1, server.RoleOf(bob));
        var stored = (await account.Database.Groups.GetAsync(created.GroupId.Bytes.ToArray(), ct))!;
        Assert.False(stored.IsMember(account.Record.Aci));
        Assert.Equal(1u, stored.Revision);
        foreach (var at in new[] { "alice", "bob" })
        {
            var got = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
            Assert.Equal(1u, got.GroupRevision);
            Assert.Equal((ulong)quit.Timestamp, got.Timestamp);
            Assert.True((await mock.InspectGroupChangeAsync(got.GroupChange!, ct)).SignatureValid);
        }

        await Assert.ThrowsAsync<NotAGroupMemberException>(() => account.SendMessageAsync(new GroupTarget(created.GroupId), new OutgoingMessage("gone", []), ct));
    }
}
