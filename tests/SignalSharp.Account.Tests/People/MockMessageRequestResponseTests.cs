using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Everyday;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// Answers to message requests reach the phone (our primary) as Signal's SyncMessage.MessageRequestResponse, decoded
/// with Signal's own protos: a person by ACI (text and bytes), a group by its id, the answer's wire value.
/// </summary>
public sealed class MockMessageRequestResponseTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
    [Fact]
    public async Task Accepting_a_contact_and_deleting_a_group_request_reach_the_phone()
    {
        var ct = Timeout();
        var people = mock.Linked.Account.People;
        await people.SendMessageRequestResponseAsync([Address(mock.NumberOf("alice"))], [], MessageRequestResponse.Accept, ct);
        var accepted = (await mock.Linked.Mock.CommandAsync("waitForSyncMessage", new JsonObject { ["at"] = "phone", ["kind"] = "messageRequestResponse" }, ct))!;
        Assert.Equal(mock.OwnAci.ToString(), (string)accepted["source"]!["aci"]!);
        var answer = accepted["messageRequestResponse"]!;
        Assert.Equal(mock.AciOf("alice").ToString(), (string)answer["threadAci"]!);
        Assert.Equal(mock.AciOf("alice").ToString(), (string)answer["threadAciBinary"]!);
        Assert.Null(answer["groupId"]);
        Assert.Equal(1, (int)answer["type"]!);

        var groupBytes = RandomNumberGenerator.GetBytes(32);
        Assert.True(GroupId.TryParse(Convert.ToBase64String(groupBytes), out var group));
        await people.SendMessageRequestResponseAsync([], [group], MessageRequestResponse.Delete, ct);
        var deleted = (await mock.Linked.Mock.CommandAsync("waitForSyncMessage", new JsonObject { ["at"] = "phone", ["kind"] = "messageRequestResponse" }, ct))!;
        Assert.Equal(Convert.ToBase64String(groupBytes), (string)deleted["messageRequestResponse"]!["groupId"]!);
        Assert.Null(deleted["messageRequestResponse"]!["threadAci"]);
        Assert.Equal(2, (int)deleted["messageRequestResponse"]!["type"]!);
    }

    [Fact]
    public async Task An_unknown_number_is_refused_and_nothing_is_sent()
    {
        var ct = Timeout();
        var people = mock.Linked.Account.People;
        await Assert.ThrowsAsync<UnknownRecipientException>(() =>
            people.SendMessageRequestResponseAsync([Address(mock.NumberOf("alice")), Address("+4915199999999")], [], MessageRequestResponse.Accept, ct));

        // Nothing went out for Alice: the next answer the phone gets is Bob's.
        await people.SendMessageRequestResponseAsync([Address(mock.NumberOf("bob"))], [], MessageRequestResponse.Accept, ct);
        var next = (await mock.Linked.Mock.CommandAsync("waitForSyncMessage", new JsonObject { ["at"] = "phone", ["kind"] = "messageRequestResponse" }, ct))!;
        Assert.Equal(mock.AciOf("bob").ToString(), (string)next["messageRequestResponse"]!["threadAci"]!);
    }
}
