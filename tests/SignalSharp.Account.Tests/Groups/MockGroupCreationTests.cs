using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// Creating a group from the account against Signal's real mock server: the group server (which verifies every
/// member's profile key credential presentation with zkgroup) holds the group with its name, description, timer and
/// members as asked; contacts whose profile key the account knows are members, the others invited; the members'
/// libsignal decrypts the announcement with the group's master key at revision 0.
/// </summary>
public sealed class MockGroupCreationTests
{
    [Fact]
    public async Task Creates_a_group_the_group_server_holds_and_the_members_see()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob,Carol", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var alice = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
        var bob = Guid.Parse(mock.Contact("bob")["aci"]!.GetValue<string>());
        var carol = Guid.Parse(mock.Contact("carol")["aci"]!.GetValue<string>());

        // Alice and Bob message us with their profile keys (as Signal's apps do); Carol never has.
        await KnowProfileKeysAsync(linked, ["alice", "bob"], ct);

        var result = await account.CreateGroupAsync(new GroupChangeRequest
        {
            Name = "Incident 42",
            Description = "all hands",
            ExpirationSeconds = 3600,
            AddMembers = [.. new[] { alice, bob, carol }.Select(a => RecipientAddress.Aci(new Aci(a)))],
        }, ct);
        Assert.Equal(0u, result.Revision);
        Assert.True(result.Timestamp > 0);
        Assert.Equal(2, result.Results.Count(r => r.Success));

        var stored = await account.Database.Groups.GetAsync(result.GroupId.Bytes.ToArray(), ct);
        Assert.NotNull(stored);
        Assert.Equal("Incident 42", stored.Title);
        Assert.Equal(0u, stored.Revision);
        Assert.NotNull(stored.EndorsementsResponse);

        // The group server's own state, decrypted by the harness with the master key.
        var server = await mock.ServerGroupAsync(stored.MasterKey, ct);
        Assert.NotNull(server);
        Assert.Equal(0u, server.Revision);
        Assert.Equal("Incident 42", server.Title);
        Assert.Equal("all hands", server.Description);
        Assert.Equal(3600u, server.Timer);
        Assert.Equal(new[] { account.Record.Aci, alice, bob }.Order(), server.Members.Select(m => m.Aci).Order());
        Assert.Equal(2, server.RoleOf(account.Record.Aci));
        Assert.Equal(1, server.RoleOf(alice));
        Assert.Equal(1, server.RoleOf(bob));
        Assert.Equal([carol.ToString()], server.Pending.Select(p => p.ServiceId));
        // Members edit details and add members; no invite link.
        Assert.Equal((2, 2, 4), server.Access);
        Assert.Null(server.InviteLinkPassword);
        Assert.Equal([account.Record.Aci, alice, bob], stored.Members.Select(m => m.Aci));
        Assert.Equal([carol], stored.PendingMembers);

        // Both members' libsignal decrypts the announcement: our device, the new group's master key, revision 0.
        foreach (var at in new[] { "alice", "bob" })
        {
            var got = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
            Assert.Equal(account.Record.Aci, got.SourceAci);
            Assert.Equal(stored.MasterKey, got.GroupMasterKey);
            Assert.Equal(0u, got.GroupRevision);
            Assert.Equal((ulong)result.Timestamp, got.Timestamp);
        }
    }

    /// <summary>Each named contact sends us a text carrying its profile key; waits until the account stored the key.</summary>
    internal static async Task KnowProfileKeysAsync(LinkedMock linked, IReadOnlyList<string> names, CancellationToken ct)
    {
        foreach (var name in names)
        {
            await linked.Mock.CommandAsync("sendText", new JsonObject { ["from"] = name, ["text"] = "hi from " + name }, ct);
            var aci = Guid.Parse(linked.Mock.Contact(name)["aci"]!.GetValue<string>());
            for (var i = 0; ; i++)
            {
                if ((await linked.Account.Database.Recipients.GetByAciAsync(aci, ct))?.ProfileKey is { Length: 32 })
                {
                    break;
                }

                Assert.True(i < 300, $"the account never stored {name}'s profile key");
                await Task.Delay(100, ct);
            }
        }
    }
}
