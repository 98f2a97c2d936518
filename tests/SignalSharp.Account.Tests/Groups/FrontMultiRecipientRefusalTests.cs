using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Store.Groups;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// Issue 12 item 3 through the production-style front: the REST multi-recipient send answered 410 (a member's
/// device is stale), 200 naming a member in uuids404 (his account gone) and 401 (the group send token refused), with
/// the mock's own verdicts behind the 410 and the 404s and the members' libsignal decrypting what arrives. (409 is
/// proven in <see cref="DaemonGroupTests"/>.)
/// </summary>
public sealed class FrontMultiRecipientRefusalTests
{
    // Bob reinstalled: the server's multi-recipient send finds his registration id stale (410). The client drops his
    // session and our sender key share, builds a new session from his bundle, gives him our sender key again, and the
    // retry over REST reaches both members.
    [Fact]
    public async Task A_stale_device_answered_410_is_given_a_new_session_and_the_retry_over_REST_reaches_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", LinkedAccountOptions.Default, ct, front: true);
        var (mock, account) = (linked.Mock, linked.Account);
        var (group, record) = await LearnGroupAsync(mock, account, ct);
        var bobAci = Guid.Parse(mock.Contact("bob")["aci"]!.GetValue<string>());

        var first = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "before", Timestamp = 1000 }, 1000, ct);
        Assert.True(first.MultiRecipient);
        await ExpectAtBothAsync(mock, "before", ct);

        var registrationId = await mock.ReinstallDeviceAsync("bob", ct);
        var sendsBefore = (await MultiRecipientSendsAsync(mock, ct)).Count;
        var report = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "after", Timestamp = 2000 }, 2000, ct);

        Assert.Equal([410, 200], (await MultiRecipientSendsAsync(mock, ct)).Skip(sendsBefore).Select(s => s!["status"]!.GetValue<int>()));
        Assert.True(report.MultiRecipient);
        Assert.Equal(1, report.DistributedTo);
        Assert.Empty(report.Unreachable);
        var session = await account.Database.ProtocolStores(AccountIdentity.Aci).Sessions.LoadSessionAsync(new Protocol.ProtocolAddress(bobAci.ToString(), 1), ct);
        Assert.Equal(registrationId, session!.RemoteRegistrationId);
        await ExpectAtBothAsync(mock, "after", ct);
        Assert.Empty((await mock.FrontStatsAsync(ct))["grpc"]!.AsArray());
    }

    // Bob's account is gone after he got our sender key: the REST send answers 200 and names him in uuids404; he is
    // reported unreachable and Alice still gets the message.
    [Fact]
    public async Task A_member_named_in_uuids404_of_a_REST_send_is_reported_unreachable_and_the_others_get_the_message()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", LinkedAccountOptions.Default, ct, front: true);
        var (mock, account) = (linked.Mock, linked.Account);
        var (_, record) = await LearnGroupAsync(mock, account, ct);
        var bobAci = Guid.Parse(mock.Contact("bob")["aci"]!.GetValue<string>());
        var first = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "both", Timestamp = 1000 }, 1000, ct);
        Assert.True(first.MultiRecipient);
        await ExpectAtBothAsync(mock, "both", ct);

        await mock.SetRegisteredAsync("bob", false, ct);
        var report = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "only alice", Timestamp = 2000 }, 2000, ct);

        var last = (await MultiRecipientSendsAsync(mock, ct))[^1]!;
        Assert.Equal(200, last["status"]!.GetValue<int>());
        Assert.True(report.MultiRecipient);
        Assert.Equal([bobAci], report.Unreachable);
        Assert.Equal(1, report.SenderKeyRecipients);
        Assert.Equal("only alice", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal(0, await mock.GroupQueueSizeAsync("bob", ct));
    }

    // A token the server will not take (401) is no reason to lose the message: every member gets it 1:1 instead.
    [Fact]
    public async Task A_group_send_token_refused_with_401_falls_back_to_one_to_one_for_every_member()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", LinkedAccountOptions.Default, ct, front: true);
        var (mock, account) = (linked.Mock, linked.Account);
        var (group, record) = await LearnGroupAsync(mock, account, ct);

        await mock.CommandAsync("frontMultiRecipient", new JsonObject { ["refuseTokens"] = 1 }, ct);
        var report = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "refused token", Timestamp = 3000 }, 3000, ct);

        Assert.Equal([401], (await MultiRecipientSendsAsync(mock, ct)).Select(s => s!["status"]!.GetValue<int>()));
        Assert.False(report.MultiRecipient);
        Assert.Equal(2, report.FallbackRecipients);
        Assert.Equal(0, report.SenderKeyRecipients);
        foreach (var at in new[] { "alice", "bob" })
        {
            var got = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
            Assert.Equal("refused token", got.Body);
            Assert.Equal(group.MasterKey, got.GroupMasterKey);
            Assert.Equal(account.Record.Aci, got.SourceAci);
        }

        // The refusal concerned that token only: the next send goes over REST again.
        var next = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "token taken", Timestamp = 4000 }, 4000, ct);
        Assert.True(next.MultiRecipient);
        Assert.Equal(200, (await MultiRecipientSendsAsync(mock, ct))[^1]!["status"]!.GetValue<int>());
        await ExpectAtBothAsync(mock, "token taken", ct);
    }

    // Production checks the group send token, so the account learns the group as it would: storage service, then the
    // group server (with its send endorsements).
    private static async Task<(MockGroup Group, GroupRecord Record)> LearnGroupAsync(MockServer mock, LinkedAccount account, CancellationToken ct)
    {
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var group = await mock.CreateGroupAsync("Refusals", ["alice", "bob"], storageSync: true, cancellationToken: ct);
        var record = await account.Database.Groups.GetAsync(group.GroupId, ct);
        while (record is null)
        {
            await Task.Delay(100, ct);
            record = await account.Database.Groups.GetAsync(group.GroupId, ct);
        }

        return (group, record);
    }

    private static async Task ExpectAtBothAsync(MockServer mock, string body, CancellationToken ct)
    {
        foreach (var at in new[] { "alice", "bob" })
        {
            Assert.Equal(body, (await mock.WaitForGroupMessageAsync(at, cancellationToken: ct)).Body);
        }
    }

    private static async Task<JsonArray> MultiRecipientSendsAsync(MockServer mock, CancellationToken ct) =>
        (await mock.CommandAsync("frontApiStats", null, ct))!["multiRecipient"]!.AsArray();
}
