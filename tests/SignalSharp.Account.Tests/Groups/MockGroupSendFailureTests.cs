using SignalSharp.Account.Api;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// Group sends against the real mock when one member cannot be reached: the mock's rate limit (428 on sends from our
/// account to Bob) hits Bob only, so Alice still gets the message and the send succeeds; when no member at all can
/// be reached the send fails. Sends to Bob are made authenticated (his profile key, hence the sealed path, removed)
/// because the mock rate-limits only authenticated sends.
/// </summary>
public sealed class MockGroupSendFailureTests
{
    [Fact]
    public async Task A_rate_limited_member_during_distribution_is_skipped_and_the_others_get_the_message()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var bobAci = await RateLimitBobAsync(linked, ct);
        var group = await mock.CreateGroupAsync("Rate limited", ["alice", "bob"], storageSync: false, cancellationToken: ct);
        var record = LinkedMock.RecordOf(group);
        await account.Database.Groups.UpsertAsync(record, ct);

        // Bob's sender-key distribution answers 428: he is skipped, Alice gets the sender-key message.
        var report = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "despite bob", Timestamp = 5000 }, 5000, ct);
        Assert.Equal([bobAci], report.Unreachable);
        Assert.Equal(1, report.SenderKeyRecipients);
        Assert.Equal("despite bob", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal(0, await mock.GroupQueueSizeAsync("bob", ct));

        // A group whose only other member is Bob: nobody can be reached, so the send fails.
        var onlyBob = await mock.CreateGroupAsync("Only bob", ["bob"], storageSync: false, cancellationToken: ct);
        var onlyBobRecord = LinkedMock.RecordOf(onlyBob);
        await account.Database.Groups.UpsertAsync(onlyBobRecord, ct);
        var failed = await Assert.ThrowsAsync<SendFailedException>(() =>
            account.SendGroupDataAsync(onlyBobRecord, new Proto.DataMessage { Body = "nobody", Timestamp = 6000 }, 6000, ct));
        Assert.Contains("could be reached", failed.Message);

        // The limit lifted: Bob gets our sender key now (it was never marked shared with him) and the next message.
        await mock.CommandAsync("stopRateLimiting", new JsonObject { ["source"] = account.Record.Aci.ToString(), ["target"] = "bob" }, ct);
        var again = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "bob too", Timestamp = 7000 }, 7000, ct);
        Assert.Empty(again.Unreachable);
        Assert.Equal(1, again.DistributedTo);
        Assert.Equal("bob too", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal("bob too", (await mock.WaitForGroupMessageAsync("bob", cancellationToken: ct)).Body);
    }

    [Fact]
    public async Task A_rate_limited_member_during_the_one_to_one_fallback_is_skipped()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", new LinkedAccountOptions { MultiRecipientSend = false }, ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var bobAci = await RateLimitBobAsync(linked, ct);
        var group = await mock.CreateGroupAsync("Fallback limited", ["alice", "bob"], storageSync: false, cancellationToken: ct);
        var record = LinkedMock.RecordOf(group);
        await account.Database.Groups.UpsertAsync(record, ct);

        var report = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "1:1 despite bob", Timestamp = 5000 }, 5000, ct);
        Assert.Equal([bobAci], report.Unreachable);
        Assert.Equal(1, report.FallbackRecipients);
        Assert.Equal("1:1 despite bob", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal(0, await mock.GroupQueueSizeAsync("bob", ct));
    }

    [Fact]
    public async Task An_unregistered_member_is_skipped_before_and_after_it_held_our_sender_key()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var bobAci = Guid.Parse(mock.Contact("bob")["aci"]!.GetValue<string>());
        var group = await mock.CreateGroupAsync("Unregistered", ["alice", "bob"], storageSync: false, cancellationToken: ct);
        var record = LinkedMock.RecordOf(group);
        await account.Database.Groups.UpsertAsync(record, ct);

        // Unregistered before any distribution: his pre-keys or his SKDM answer 404; Alice gets the message.
        await mock.SetRegisteredAsync("bob", false, ct);
        var report = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "bob is gone", Timestamp = 5000 }, 5000, ct);
        Assert.Equal([bobAci], report.Unreachable);
        Assert.Equal("bob is gone", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal(0, await mock.GroupQueueSizeAsync("bob", ct));

        // Back, he gets our key and a message; unregistered again while holding it: the multi-recipient send leaves him out.
        await mock.SetRegisteredAsync("bob", true, ct);
        await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "bob is back", Timestamp = 6000 }, 6000, ct);
        Assert.Equal("bob is back", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal("bob is back", (await mock.WaitForGroupMessageAsync("bob", cancellationToken: ct)).Body);
        await mock.SetRegisteredAsync("bob", false, ct);
        var again = await account.SendGroupDataAsync(record, new Proto.DataMessage { Body = "gone again", Timestamp = 7000 }, 7000, ct);
        Assert.Equal([bobAci], again.Unreachable);
        Assert.Equal("gone again", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal(0, await mock.GroupQueueSizeAsync("bob", ct));
    }

    /// <summary>Bob's profile key forgotten (so sends to him go authenticated) and our sends to him rate-limited.</summary>
    private static async Task<Guid> RateLimitBobAsync(LinkedMock linked, CancellationToken ct)
    {
        var bobAci = Guid.Parse(linked.Mock.Contact("bob")["aci"]!.GetValue<string>());
        var bob = await linked.Account.Database.Recipients.GetOrCreateByAciAsync(bobAci, ct);
        await linked.Account.Database.Recipients.SetProfileKeyAsync(bob.Id, null, ct);
        await linked.Mock.CommandAsync("rateLimit", new JsonObject { ["source"] = linked.Account.Record.Aci.ToString(), ["target"] = "bob" }, ct);
        return bobAci;
    }
}
