using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// A change log longer than a page: Signal's group server answers at most a page (64 revisions) and says so with
/// 206 Partial Content and <c>Content-Range: versions {since}-{last}/{current}</c>; the account follows the pages to
/// the current revision, checking and applying every change, one item each. The mock answers the whole log at once;
/// interop/mock/grouplogpaging.mjs pages it as the server does, here two changes a page.
/// </summary>
public sealed class MockGroupLogPagingTests
{
    [Fact]
    public async Task A_log_longer_than_a_page_is_followed_page_by_page_to_the_current_revision()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(200));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var alice = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
        await MockGroupCreationTests.KnowProfileKeysAsync(linked, ["alice", "bob"], ct);
        var created = await account.CreateGroupAsync(new GroupChangeRequest { Name = "Pages", AddMembers = [RecipientAddress.Aci(new Aci(alice))] }, ct);
        await account.UpdateGroupAsync(created.GroupId, new GroupChangeRequest { AddAdmins = [RecipientAddress.Aci(new Aci(alice))] }, ct);
        var masterKey = (await account.Database.Groups.GetAsync(created.GroupId.Bytes.ToArray(), ct))!.MasterKey;
        await mock.CommandAsync("setGroupLogPageSize", new JsonObject { ["size"] = 2 }, ct);

        // Alice: five renames (revisions 2-6); only the last is announced.
        for (var i = 1; i <= 5; i++)
        {
            await mock.ChangeGroupAsAsync(masterKey, "alice", title: $"Page {i}", notify: i == 5 ? ["linked"] : null, cancellationToken: ct);
        }

        var changes = new List<ReceivedGroupChange>();
        for (var i = 0; i < 100 && changes.Count < 5; i++)
        {
            await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromMilliseconds(300), true), ct);
            changes.AddRange(batch.Items.OfType<ReceivedGroupChange>());
            await batch.ConfirmAsync(ct);
        }

        Assert.Equal([2u, 3u, 4u, 5u, 6u], changes.Select(c => c.Revision));
        Assert.Equal(["Page 1", "Page 2", "Page 3", "Page 4", "Page 5"], changes.Select(c => Assert.Single(c.Changes).Value));
        var stored = (await account.Database.Groups.GetAsync(created.GroupId.Bytes.ToArray(), ct))!;
        Assert.Equal((6u, "Page 5"), (stored.Revision, stored.Title));
        Assert.Equal(6u, (await mock.ServerGroupAsync(masterKey, ct))!.Revision);
        // Three pages asked for (2-3, 4-5, 6), none fetched whole.
        var asked = (await mock.CommandAsync("groupLogRequests", new JsonObject(), ct))!.AsArray().Select(n => n!.GetValue<int>()).ToList();
        Assert.Equal([2, 4, 6], asked.TakeLast(3));
        Assert.Equal(0, account.Groups.GroupFetches);
    }
}
