using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// A member changes a group three times through Signal's mock group server and tells the account only after the last:
/// the account follows the change log from its stored revision, checks each change's notary signature, applies the
/// decoded actions revision by revision, and hands out one item per change with its author and what it did; the
/// stored revision ends equal to the server's.
/// </summary>
public sealed class MockGroupLogTests
{
    [Fact]
    public async Task A_members_changes_are_applied_from_the_log_one_item_each()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(200));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var alice = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
        var bob = Guid.Parse(mock.Contact("bob")["aci"]!.GetValue<string>());
        await MockGroupCreationTests.KnowProfileKeysAsync(linked, ["alice", "bob"], ct);
        var created = await account.CreateGroupAsync(new GroupChangeRequest
        {
            Name = "Shift",
            AddMembers = [RecipientAddress.Aci(new Aci(alice)), RecipientAddress.Aci(new Aci(bob))],
        }, ct);
        await account.UpdateGroupAsync(created.GroupId, new GroupChangeRequest { AddAdmins = [RecipientAddress.Aci(new Aci(alice))] }, ct);
        var masterKey = (await account.Database.Groups.GetAsync(created.GroupId.Bytes.ToArray(), ct))!.MasterKey;
        await Drain(account, ct);

        // Alice: rename and describe (revision 2), remove Bob (3), set the timer (4); only the last is announced.
        Assert.Equal(2u, await mock.ChangeGroupAsAsync(masterKey, "alice", title: "Night shift", description: "on call", cancellationToken: ct));
        Assert.Equal(3u, await mock.ChangeGroupAsAsync(masterKey, "alice", removeMember: "bob", cancellationToken: ct));
        Assert.Equal(4u, await mock.ChangeGroupAsAsync(masterKey, "alice", timer: 3600, notify: ["linked"], cancellationToken: ct));

        var changes = new List<ReceivedGroupChange>();
        for (var i = 0; i < 100 && changes.Count < 3; i++)
        {
            await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromMilliseconds(300), true), ct);
            changes.AddRange(batch.Items.OfType<ReceivedGroupChange>());
            await batch.ConfirmAsync(ct);
        }

        Assert.Equal([2u, 3u, 4u], changes.Select(c => c.Revision));
        Assert.All(changes, c =>
        {
            Assert.Equal(alice.ToString(), c.AuthorServiceId);
            Assert.Equal(created.GroupId, c.GroupId);
        });
        Assert.Equal([("title", "Night shift"), ("description", "on call")], changes[0].Changes.Select(d => (d.Kind, d.Value!)));
        var removal = Assert.Single(changes[1].Changes);
        Assert.Equal(("member-removed", bob.ToString()), (removal.Kind, removal.MemberServiceId));
        Assert.Equal(("expiration", "3600"), (Assert.Single(changes[2].Changes).Kind, changes[2].Changes[0].Value));
        Assert.Equal("Night shift", changes[2].GroupName);

        var server = (await mock.ServerGroupAsync(masterKey, ct))!;
        var stored = (await account.Database.Groups.GetAsync(created.GroupId.Bytes.ToArray(), ct))!;
        Assert.Equal(server.Revision, stored.Revision);
        Assert.Equal(4u, stored.Revision);
        Assert.Equal("Night shift", stored.Title);
        Assert.Equal(("on call", 3600u), (stored.Description, stored.ExpirationSeconds));
        Assert.Equal(new[] { account.Record.Aci, alice }.Order(), stored.Members.Select(m => m.Aci).Order());
        // Learned from the log, not by fetching the state whole.
        Assert.Equal(0, account.Groups.GroupFetches);
    }

    private static async Task Drain(LinkedAccount account, CancellationToken ct)
    {
        await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromMilliseconds(200), true), ct);
        await batch.ConfirmAsync(ct);
    }
}
