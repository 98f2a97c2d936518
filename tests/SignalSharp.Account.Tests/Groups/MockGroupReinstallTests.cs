using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// A member reinstalls: a new registration id and none of the sender keys it had. Our next 1:1 message to it is
/// answered 410 (stale device) and repaired with a new session; that new session also means the device no longer
/// holds our group sender key, so the next group send distributes it again and the member's libsignal decrypts.
/// </summary>
public sealed class MockGroupReinstallTests
{
    [Fact]
    public async Task A_member_seen_reinstalled_on_a_one_to_one_send_gets_our_sender_key_again()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var bobAci = Guid.Parse(mock.Contact("bob")["aci"]!.GetValue<string>());
        var group = await mock.CreateGroupAsync("Reinstall", ["alice", "bob"], storageSync: false, cancellationToken: ct);
        var record = LinkedMock.RecordOf(group);
        await account.Database.Groups.UpsertAsync(record, ct);

        var first = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "before", Timestamp = 1000 }, 1000, ct);
        Assert.Equal(2, first.DistributedTo);
        Assert.Equal("before", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal("before", (await mock.WaitForGroupMessageAsync("bob", cancellationToken: ct)).Body);

        var registrationId = await mock.ReinstallDeviceAsync("bob", ct);

        // A 1:1 text: 410 for Bob's device 1, a new session from his bundle, delivered.
        await account.SendMessageAsync(new RecipientTarget(RecipientAddress.Aci(new Aci(bobAci))), new OutgoingMessage("direct", []), ct);
        var direct = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "bob" }, ct))!;
        Assert.Equal("direct", direct["body"]!.GetValue<string>());
        var session = await account.Database.ProtocolStores(AccountIdentity.Aci).Sessions.LoadSessionAsync(new Protocol.ProtocolAddress(bobAci.ToString(), 1), ct);
        Assert.Equal(registrationId, session!.RemoteRegistrationId);

        // The group send distributes our sender key to Bob again (only to him), and he decrypts.
        var second = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "after", Timestamp = 2000 }, 2000, ct);
        Assert.Equal(1, second.DistributedTo);
        Assert.Empty(second.Unreachable);
        Assert.Equal("after", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal("after", (await mock.WaitForGroupMessageAsync("bob", timeoutMs: 10_000, cancellationToken: ct)).Body);
    }
}
