using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Daemon.Server;
using SignalSharp.Interop.Testing;
using SignalSharp.Store.Groups;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// Group messaging through the daemon's TCP protocol on a linked account against the mock: send_message and
/// send_reaction with groupId (status 0, 6, 7), receive_messages printing the groupId; and the send paths that the
/// happy path does not take: a member's new device (the multi-recipient send's 409, repaired and retried, the
/// sender key distributed to the new device) and every member 1:1 when the multi-recipient send is off.
/// </summary>
public sealed class DaemonGroupTests
{
    [Fact]
    public async Task The_daemon_answers_group_commands_and_prints_group_ids()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var group = await mock.CreateGroupAsync("Daemon group", ["alice", "bob"], storageSync: false, cancellationToken: ct);
        await account.Database.Groups.UpsertAsync(LinkedMock.RecordOf(group), ct);
        var notMine = LinkedMock.RecordOf(group) with
        {
            GroupId = Enumerable.Repeat((byte)5, 32).ToArray(),
            Members = [.. LinkedMock.RecordOf(group).Members.Where(m => m.Aci != account.Record.Aci)],
        };
        await account.Database.Groups.UpsertAsync(notMine, ct);
        var aliceNumber = mock.Contact("alice")["number"]!.GetValue<string>();

        await using var daemon = new DaemonServer(account, new DaemonOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        daemon.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, daemon.LocalEndPoint!.Port, ct);
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        async Task<JsonNode> Call(string line)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
            return JsonNode.Parse((await reader.ReadLineAsync(ct))!)!;
        }

        var sent = await Call($"{{\"command\":\"send_message\",\"reqId\":\"1\",\"groupId\":\"{group.GroupIdBase64}\",\"dataMessage\":{{\"message\":\"via the daemon\"}}}}");
        Assert.Equal(0, sent["statusCode"]!.GetValue<int>());
        var timestamp = sent["timestamp"]!.GetValue<long>();
        foreach (var at in new[] { "alice", "bob" })
        {
            var got = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
            Assert.Equal("via the daemon", got.Body);
            Assert.Equal(group.MasterKey, got.GroupMasterKey);
        }

        // Contact sync gives Alice's number, which the reaction names as the author.
        for (var i = 0; i < 100 && await account.Database.Recipients.GetByE164Async(aliceNumber, ct) is null; i++)
        {
            await Task.Delay(100, ct);
        }

        var reacted = await Call($"{{command:'send_reaction',reqId:'2',groupId:'{group.GroupIdBase64}',reaction:{{emoji:'🎉',author:'{aliceNumber}',timestamp:{timestamp}}}}}");
        Assert.Equal(0, reacted["statusCode"]!.GetValue<int>());
        foreach (var at in new[] { "alice", "bob" })
        {
            var got = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
            Assert.Equal("🎉", got.ReactionEmoji);
            Assert.Equal((ulong)timestamp, got.ReactionTargetTimestamp);
        }

        var unknown = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());
        var notFound = await Call($"{{command:'send_message',reqId:'3',groupId:'{unknown}',dataMessage:{{message:'x'}}}}");
        Assert.Equal(6, notFound["statusCode"]!.GetValue<int>());
        Assert.Equal("3", notFound["reqId"]!.GetValue<string>());
        var notMember = await Call($"{{command:'send_reaction',reqId:'4',groupId:'{Convert.ToBase64String(notMine.GroupId)}',reaction:{{emoji:'🎉',author:'{aliceNumber}',timestamp:1}}}}");
        Assert.Equal(7, notMember["statusCode"]!.GetValue<int>());
        var notMemberText = await Call($"{{command:'send_message',reqId:'5',groupId:'{Convert.ToBase64String(notMine.GroupId)}',dataMessage:{{message:'x'}}}}");
        Assert.Equal(7, notMemberText["statusCode"]!.GetValue<int>());

        var fromAlice = await mock.SendGroupSenderKeyTextAsync(group, "alice", "alice says hi", cancellationToken: ct);
        var received = await Call("{command:'receive_messages',reqId:'6',timeout:10000}");
        var message = Assert.Single(received["messages"]!.AsArray())!;
        Assert.Equal("alice says hi", message["message"]?.GetValue<string>() ?? message["body"]?.GetValue<string>());
        Assert.Equal((long)fromAlice, message["timestamp"]!.GetValue<long>());
        Assert.Equal(group.GroupIdBase64, message["groupId"]!.GetValue<string>());
    }

    // Through the front, the multi-recipient send goes over REST (PUT /v1/messages/multi_recipient) and the device
    // mismatch comes back as production's HTTP 409 body instead of the mock's gRPC answer.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_new_member_device_is_repaired_and_a_member_leaving_rotates_the_sender_key(bool throughFront)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", LinkedAccountOptions.Default, ct, front: throughFront);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        // Production checks the group send token, so through the front the account learns the group as it would (storage
        // service, group server: its send endorsements with it); the plain mock takes any token.
        var group = await mock.CreateGroupAsync("Repair group", ["alice", "bob"], storageSync: throughFront, cancellationToken: ct);
        GroupRecord record;
        if (throughFront)
        {
            GroupRecord? learned;
            while ((learned = await account.Database.Groups.GetAsync(group.GroupId, ct)) is null)
            {
                await Task.Delay(100, ct);
            }

            record = learned;
        }
        else
        {
            record = LinkedMock.RecordOf(group);
            await account.Database.Groups.UpsertAsync(record, ct);
        }

        var aliceAci = mock.Contact("alice")["aci"]!.GetValue<string>();

        var first = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "one", Timestamp = 1000 }, 1000, ct);
        Assert.True(first.MultiRecipient);
        Assert.Equal(2, first.DistributedTo);
        Assert.Equal("one", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal("one", (await mock.WaitForGroupMessageAsync("bob", cancellationToken: ct)).Body);

        // Alice gains a device: the multi-recipient send is refused (409 missing device), a session with the new
        // device is built, our sender key goes to Alice again (her new device lacks it), and the retry is delivered.
        var second = (await mock.CommandAsync("createSecondary", new JsonObject { ["of"] = "alice" }, ct))!;
        var secondId = second["deviceId"]!.GetValue<uint>();
        var restSendsBefore = throughFront ? await RestMultiRecipientSendsAsync(mock, ct) : 0;
        var repaired = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "two", Timestamp = 2000 }, 2000, ct);
        Assert.True(repaired.MultiRecipient);
        Assert.Equal(1, repaired.DistributedTo);
        if (throughFront)
        {
            // The refused send and its retry, both over REST; no gRPC call reached the mock.
            Assert.Equal(restSendsBefore + 2, await RestMultiRecipientSendsAsync(mock, ct));
            Assert.Empty((await mock.FrontStatsAsync(ct))["grpc"]!.AsArray());
        }

        var distribution = await account.Database.SenderKeyShares.GetOrCreateDistributionIdAsync(group.GroupId, ct);
        Assert.Contains((Guid.Parse(aliceAci), secondId), await account.Database.SenderKeyShares.SharedWithAsync(distribution, ct));
        Assert.Equal("two", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal("two", (await mock.WaitForGroupMessageAsync("bob", cancellationToken: ct)).Body);
        if (throughFront)
        {
            // Bob's leaving below is only an edit of the stored group (the group server still lists him), which leaves
            // the learned send endorsements out of step with the members; the rotation is client-side and proven below
            // against the plain mock.
            return;
        }

        // Bob leaves: the next send rotates the sender key (Bob holds the old one) and distributes the new one to
        // Alice's devices only; Bob gets nothing.
        var withoutBob = record with { Revision = record.Revision + 1, Members = [.. record.Members.Where(m => m.Aci.ToString() != mock.Contact("bob")["aci"]!.GetValue<string>())] };
        await account.Database.Groups.UpsertAsync(withoutBob, ct);
        var rotated = await account.SendGroupDataAsync(withoutBob, new Proto.DataMessage { Body = "three", Timestamp = 3000 }, 3000, ct);
        Assert.Equal(1, rotated.SenderKeyRecipients);
        Assert.Equal(1, rotated.DistributedTo);
        var newDistribution = await account.Database.SenderKeyShares.GetOrCreateDistributionIdAsync(group.GroupId, ct);
        Assert.NotEqual(distribution, newDistribution);
        Assert.All(await account.Database.SenderKeyShares.SharedWithAsync(newDistribution, ct), h => Assert.Equal(aliceAci, h.Aci.ToString()));
        var three = await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct);
        Assert.Equal("three", three.Body);
        Assert.Equal(record.Revision + 1, three.GroupRevision);
        Assert.Equal(0, await mock.GroupQueueSizeAsync("bob", ct));
    }

    [Fact]
    public async Task Without_the_multi_recipient_send_every_member_gets_the_group_message_one_to_one()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", new LinkedAccountOptions { MultiRecipientSend = false }, ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var group = await mock.CreateGroupAsync("Fallback group", ["alice", "bob"], storageSync: false, cancellationToken: ct);
        var record = LinkedMock.RecordOf(group);
        await account.Database.Groups.UpsertAsync(record, ct);

        var report = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "1:1 for all", Timestamp = 3000 }, 3000, ct);
        Assert.False(report.MultiRecipient);
        Assert.Equal(0, report.SenderKeyRecipients);
        Assert.Equal(2, report.FallbackRecipients);
        Assert.Equal(0, report.DistributedTo);
        foreach (var at in new[] { "alice", "bob" })
        {
            var got = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
            Assert.Equal("1:1 for all", got.Body);
            Assert.Equal(group.MasterKey, got.GroupMasterKey);
            Assert.Equal(account.Record.Aci, got.SourceAci);
        }
    }

    private static async Task<int> RestMultiRecipientSendsAsync(MockServer mock, CancellationToken ct) =>
        (await mock.CommandAsync("frontApiStats", null, ct))!["multiRecipient"]!.AsArray().Count;
}
