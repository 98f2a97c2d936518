using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Everyday;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// Blocking against the mock: the phone (our primary) receives the blocked list as Signal's SyncMessage.Blocked
/// and decodes it with Signal's protos, a blocked contact's messages are acked but never handed out, unblocking lets
/// them through again, and a blocked list the phone sends replaces ours.
/// </summary>
public sealed class MockBlockingTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
    [Fact]
    public async Task A_blocked_contacts_messages_are_dropped_and_the_phone_receives_the_blocked_list()
    {
        var ct = Timeout();
        var people = mock.Linked.Account.People;
        var alice = Address(mock.NumberOf("alice"));
        await people.SetBlockedAsync([Address(mock.NumberOf("bob"))], [], blocked: false, ct); // The other test may have blocked Bob.
        await mock.Linked.Mock.CommandAsync("waitForSyncMessage", new JsonObject { ["at"] = "phone", ["kind"] = "blocked" }, ct);

        await people.SetBlockedAsync([alice], [], blocked: true, ct);
        var sync = (await mock.Linked.Mock.CommandAsync("waitForSyncMessage", new JsonObject { ["at"] = "phone", ["kind"] = "blocked" }, ct))!;
        Assert.Equal(mock.OwnAci.ToString(), (string)sync["source"]!["aci"]!);
        Assert.Contains(mock.AciOf("alice").ToString(), sync["blocked"]!["acisBinary"]!.AsArray().Select(a => (string)a!));
        Assert.Contains(mock.AciOf("alice").ToString(), sync["blocked"]!["acis"]!.AsArray().Select(a => (string)a!));
        Assert.Contains(mock.NumberOf("alice"), sync["blocked"]!["numbers"]!.AsArray().Select(a => (string)a!));

        var dropped = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject { ["body"] = "while blocked", ["timestamp"] = U64(dropped) }), dropped, ct);
        var later = mock.NextTimestamp();
        await mock.SendAsync("bob", Data(new JsonObject { ["body"] = "after", ["timestamp"] = U64(later) }), later, ct);
        await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == later, ct);
        Assert.DoesNotContain(await mock.UnclaimedAsync(ct), i => i is ReceivedMessage m && m.Timestamp == dropped);
        Assert.Contains(mock.NumberOf("alice"), (await mock.Linked.Account.ListContactsAsync(ct)).Where(c => c.Blocked).Select(c => c.Number));

        await people.SetBlockedAsync([alice], [], blocked: false, ct);
        var cleared = (await mock.Linked.Mock.CommandAsync("waitForSyncMessage", new JsonObject { ["at"] = "phone", ["kind"] = "blocked" }, ct))!;
        Assert.DoesNotContain(mock.AciOf("alice").ToString(), cleared["blocked"]!["acisBinary"]!.AsArray().Select(a => (string)a!));
        var again = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject { ["body"] = "unblocked", ["timestamp"] = U64(again) }), again, ct);
        Assert.Equal("unblocked", (await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == again, ct)).Body);
    }

    [Fact]
    public async Task A_blocked_list_from_the_phone_replaces_ours()
    {
        var ct = Timeout();
        var bob = mock.AciOf("bob");
        var fromPhone = mock.NextTimestamp();
        await mock.SendAsync("phone", new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["syncMessage"] = new JsonObject
                {
                    ["content"] = new JsonObject { ["blocked"] = new JsonObject { ["acisBinary"] = new JsonArray(Aci(bob)) } },
                },
            },
        }, fromPhone, ct);

        while (!await mock.Linked.Account.Database.Contacts.IsBlockedAsync(bob, ct))
        {
            await Task.Delay(100, ct);
        }

        var dropped = mock.NextTimestamp();
        await mock.SendAsync("bob", Data(new JsonObject { ["body"] = "blocked by the phone", ["timestamp"] = U64(dropped) }), dropped, ct);
        var later = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject { ["body"] = "still here", ["timestamp"] = U64(later) }), later, ct);
        await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == later, ct);
        Assert.DoesNotContain(await mock.UnclaimedAsync(ct), i => i is ReceivedMessage m && m.Timestamp == dropped);
        Assert.False(await mock.Linked.Account.Database.Contacts.IsBlockedAsync(mock.AciOf("alice"), ct));
    }
}
