using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

public sealed class ReceiveTests
{
    private static ReceivedMessage Text(string body, long timestamp) =>
        new(timestamp, FakeAccount.KnownNumber, body, [], new Aci(FakeAccount.KnownAci));

    [Fact]
    public async Task A_subscription_notification_has_signal_clis_envelope_shape()
    {
        await using var harness = new Harness();
        Assert.Equal("""{"jsonrpc":"2.0","result":0,"id":1}""", await harness.AskAsync("""{"jsonrpc":"2.0","method":"subscribeReceive","id":1}"""));
        harness.Fake.Deliver(Text("hello", 1_700_000_000_123));

        Assert.Equal(
            """{"jsonrpc":"2.0","method":"receive","params":{"subscription":0,"result":{"envelope":{"source":"+4366412345678","sourceNumber":"+4366412345678","sourceUuid":"0c9d2f6e-1111-4222-8333-944455556666","sourceName":null,"sourceDevice":null,"timestamp":1700000000123,"serverReceivedTimestamp":null,"serverDeliveredTimestamp":null,"dataMessage":{"timestamp":1700000000123,"message":"hello","expiresInSeconds":0}},"account":"+4366411111111"}}}""",
            await harness.Output.NextAsync());
        await Eventually.HoldsAsync(() => harness.Fake.Confirmed.Count == 1, "the written notification is confirmed");
    }

    [Fact]
    public async Task A_subscription_outlives_a_store_that_cannot_be_used_for_a_moment()
    {
        await using var harness = new Harness(ReceiveMode.OnStart);
        harness.Fake.ReceiveFailures = 2;
        harness.Connection.Subscribe(internalSubscription: true);
        await Eventually.HoldsAsync(() => harness.Fake.ReceiveCalls >= 3, "the subscription asked again after both failures");
        harness.Fake.Deliver(Text("after the outage", 1));

        var notification = await harness.Output.NextObjectAsync();
        Assert.Equal("after the outage", (string)notification["params"]!["envelope"]!["dataMessage"]!["message"]!);
        await Eventually.HoldsAsync(() => harness.Fake.Confirmed.Count == 1, "the written notification is confirmed");
    }

    [Fact]
    public async Task The_automatic_subscription_puts_the_payload_in_params()
    {
        await using var harness = new Harness(ReceiveMode.OnStart);
        harness.Connection.Subscribe(internalSubscription: true);
        var reaction = new ReceivedMessage(5, FakeAccount.KnownNumber, null, [], null, FakeAccount.MemberGroup, new ReceivedReaction("👍", FakeAccount.KnownNumber, 4, false));
        harness.Fake.Deliver(reaction);

        var notification = await harness.Output.NextObjectAsync();
        Assert.Equal("receive", (string)notification["method"]!);
        Assert.False(notification.ContainsKey("id"));
        var parameters = notification["params"]!.AsObject();
        Assert.Equal(["envelope", "account"], parameters.Select(p => p.Key));
        var data = parameters["envelope"]!["dataMessage"]!;
        Assert.Null(data["message"]);
        Assert.Equal(FakeAccount.MemberGroup.ToBase64(), (string)data["groupInfo"]!["groupId"]!);
        var reactionJson = data["reaction"]!.AsObject();
        Assert.Equal(["emoji", "targetAuthor", "targetAuthorNumber", "targetAuthorUuid", "targetSentTimestamp", "isRemove"], reactionJson.Select(p => p.Key));
        Assert.Equal("👍", (string)reactionJson["emoji"]!);
        Assert.Equal(FakeAccount.KnownNumber, (string)reactionJson["targetAuthorNumber"]!);
        Assert.Null(reactionJson["targetAuthorUuid"]);
        Assert.Equal(4, (long)reactionJson["targetSentTimestamp"]!);
        Assert.False((bool)reactionJson["isRemove"]!);
    }

    [Fact]
    public async Task Polling_receive_is_refused_while_the_connection_receives_automatically()
    {
        await using var harness = new Harness(ReceiveMode.OnStart);
        harness.Connection.Subscribe(internalSubscription: true);
        Assert.Equal(
            """{"jsonrpc":"2.0","error":{"code":-1,"message":"Receive command cannot be used if messages are already being received.","data":null},"id":1}""",
            await harness.AskAsync("""{"jsonrpc":"2.0","method":"receive","id":1}"""));
    }

    [Fact]
    public async Task Polling_receive_answers_a_list_and_confirms_it_only_once_written()
    {
        await using var harness = new Harness();
        harness.Fake.Deliver(Text("one", 1), Text("two", 2));

        var answer = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"receive","params":{"timeout":1},"id":1}"""));
        var items = answer["result"]!.AsArray();
        Assert.Equal(["one", "two"], items.Select(i => (string)i!["envelope"]!["dataMessage"]!["message"]!));
        Assert.All(items, i => Assert.Equal(Harness.Account, (string)i!["account"]!));
        Assert.Equal(["one", "two"], harness.Fake.Confirmed.Cast<ReceivedMessage>().Select(m => m.Body));
    }

    [Fact]
    public async Task A_receive_answer_that_cannot_be_written_puts_its_messages_back()
    {
        await using var harness = new Harness();
        harness.Fake.Deliver(Text("kept", 1));
        harness.Output.Broken = true;
        await Assert.ThrowsAsync<IOException>(() => harness.AskAsync("""{"jsonrpc":"2.0","method":"receive","params":{"timeout":1},"id":1}"""));
        Assert.Empty(harness.Fake.Confirmed);
        Assert.Equal(0, harness.Fake.Leased);

        harness.Output.Broken = false;
        var answer = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"receive","params":{"timeout":1},"id":2}"""));
        Assert.Equal("kept", (string)answer["result"]![0]!["envelope"]!["dataMessage"]!["message"]!);
    }

    [Fact]
    public async Task A_receive_failure_is_reported_as_an_exception()
    {
        await using var harness = new Harness();
        harness.Fake.Deliver(new ReceiveFailure(ReceiveFailureKind.MessageError, "bad mac"));
        Assert.Equal(
            """{"jsonrpc":"2.0","result":[{"account":"+4366411111111","exception":{"message":"bad mac","type":"MessageError"}}],"id":1}""",
            await harness.AskAsync("""{"jsonrpc":"2.0","method":"receive","params":{"timeout":1},"id":1}"""));
    }

    [Theory]
    [InlineData("[0]")]
    [InlineData("""{"subscription":0}""")]
    public async Task UnsubscribeReceive_takes_the_id_positionally_or_by_name_and_stops_notifications(string parameters)
    {
        await using var harness = new Harness();
        await harness.AskAsync("""{"jsonrpc":"2.0","method":"subscribeReceive","id":1}""");
        Assert.Equal("""{"jsonrpc":"2.0","result":{},"id":2}""", await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"unsubscribeReceive","params":{{parameters}},"id":2}"""));

        harness.Fake.Deliver(Text("later", 1));
        var answer = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"receive","params":{"timeout":1},"id":3}"""));
        Assert.Equal("later", (string)answer["result"]![0]!["envelope"]!["dataMessage"]!["message"]!);
    }

    [Fact]
    public async Task Unsubscribing_an_unknown_id_is_a_user_error()
    {
        await using var harness = new Harness();
        Assert.Equal(
            """{"jsonrpc":"2.0","error":{"code":-1,"message":"Unknown subscription id","data":null},"id":1}""",
            await harness.AskAsync("""{"jsonrpc":"2.0","method":"unsubscribeReceive","params":{"subscription":5},"id":1}"""));
    }

    [Fact]
    public async Task Messages_that_arrive_with_no_subscriber_reach_the_next_one_in_order_none_lost_none_twice()
    {
        await using var harness = new Harness();
        harness.Fake.Deliver(Text("m1", 1), Text("m2", 2), Text("m3", 3));

        // A subscriber that dies while its notifications are being written gets nothing confirmed.
        var dying = new RecordingOutput { Broken = true };
        var first = harness.FrontEnd.CreateConnection(dying);
        first.Subscribe(internalSubscription: false);
        await Eventually.HoldsAsync(() => dying.FailedWrites > 0 && harness.Fake.Leased == 0, "the failed write put the lease back");
        await first.DisposeAsync();
        Assert.Empty(harness.Fake.Confirmed);

        // The next subscriber gets all of them, in order, and then what arrives while it listens.
        var id = (int)JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"subscribeReceive","id":1}"""))["result"]!;
        harness.Fake.Deliver(Text("m4", 4));
        var bodies = new List<string>();
        while (bodies.Count < 4)
        {
            var notification = await harness.Output.NextObjectAsync();
            Assert.Equal(id, (int)notification["params"]!["subscription"]!);
            bodies.Add((string)notification["params"]!["result"]!["envelope"]!["dataMessage"]!["message"]!);
        }

        Assert.Equal(["m1", "m2", "m3", "m4"], bodies);
        await Eventually.HoldsAsync(() => harness.Fake.Confirmed.Count == 4, "all four confirmed");
        Assert.Equal(["m1", "m2", "m3", "m4"], harness.Fake.Confirmed.Cast<ReceivedMessage>().Select(m => m.Body));
    }

    [Fact]
    public async Task Notifications_written_to_a_subscriber_that_left_unread_go_to_the_next_one()
    {
        await using var harness = new Harness();
        harness.Fake.Deliver(Text("m1", 1), Text("m2", 2));

        // The write succeeds (the bytes sit in our kernel), but the peer had closed: nothing may be confirmed.
        var gone = new RecordingOutput { LeftUnread = true };
        var first = harness.FrontEnd.CreateConnection(gone);
        first.Subscribe(internalSubscription: false);
        await Eventually.HoldsAsync(() => gone.RefusedReceipts > 0 && harness.Fake.Leased == 0, "the refused receipt put the lease back");
        await first.DisposeAsync();
        Assert.Empty(harness.Fake.Confirmed);

        await harness.AskAsync("""{"jsonrpc":"2.0","method":"subscribeReceive","id":1}""");
        var bodies = new List<string>();
        while (bodies.Count < 2)
        {
            var notification = await harness.Output.NextObjectAsync();
            bodies.Add((string)notification["params"]!["result"]!["envelope"]!["dataMessage"]!["message"]!);
        }

        Assert.Equal(["m1", "m2"], bodies);
        await Eventually.HoldsAsync(() => harness.Fake.Confirmed.Count == 2, "both confirmed once the second subscriber took them");
    }
}
