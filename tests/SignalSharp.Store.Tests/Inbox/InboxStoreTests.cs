using System.Collections.Concurrent;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Tests.Inbox;

public sealed class InboxStoreTests
{
    private static readonly Guid Alice = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    private static readonly Guid Bob = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000002");

    private static InboxItem Text(Guid sender, uint device, ulong timestamp, string body) => new()
    {
        Timestamp = timestamp,
        ServerTimestamp = timestamp + 7,
        Sender = new InboxSender(sender, "+15550000001", device),
        Body = body,
    };

    [Fact]
    public async Task Inserted_item_round_trips_with_every_field()
    {
        await using var t = await TestDatabase.OpenAsync();
        var item = new InboxItem
        {
            Kind = InboxItemKind.Reaction,
            Timestamp = ulong.MaxValue - 1,
            ServerTimestamp = 1_732_530_000_123,
            Sender = new InboxSender(Alice, "+4366412345678", 3),
            Body = "hi 😀 ünïcode",
            GroupId = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
            Attachments =
            [
                new InboxAttachment("text/plain", "a.txt", 5, "/tmp/a", "cdn-1", "cap"),
                new InboxAttachment(null, null, null),
            ],
            Reaction = new InboxReaction("👍", Bob, "+15550000002", 1_732_530_000_000, Remove: true),
            RawContent = [9, 8, 7],
        };
        var result = await t.Db.Inbox.InsertAsync(item);
        Assert.True(result.Inserted);

        var taken = Assert.Single(await t.Db.Inbox.TakeAsync(10));
        Assert.Equal(result.Id, taken.Id);
        Assert.Equal(t.Time.Now, taken.ReceivedAt);
        Assert.Equal(t.Time.Now, taken.DeliveredAt);
        Assert.Equal(item with { Id = taken.Id, ReceivedAt = taken.ReceivedAt, DeliveredAt = taken.DeliveredAt, GroupId = taken.GroupId, RawContent = taken.RawContent, Attachments = taken.Attachments }, taken);
        Assert.Equal(item.GroupId, taken.GroupId);
        Assert.Equal(item.RawContent, taken.RawContent);
        Assert.Equal(item.Attachments, taken.Attachments);
    }

    [Fact]
    public async Task Same_sender_device_and_timestamp_is_a_duplicate_and_dropped()
    {
        await using var t = await TestDatabase.OpenAsync();
        var first = await t.Db.Inbox.InsertAsync(Text(Alice, 1, 1000, "one"));
        var again = await t.Db.Inbox.InsertAsync(Text(Alice, 1, 1000, "one, redelivered"));
        Assert.True(first.Inserted);
        Assert.True(again.IsDuplicate);
        // Any of the three differing makes it a different message.
        Assert.True((await t.Db.Inbox.InsertAsync(Text(Alice, 2, 1000, "other device"))).Inserted);
        Assert.True((await t.Db.Inbox.InsertAsync(Text(Bob, 1, 1000, "other sender"))).Inserted);
        Assert.True((await t.Db.Inbox.InsertAsync(Text(Alice, 1, 1001, "other time"))).Inserted);
        Assert.True(await t.Db.Inbox.ContainsAsync(Alice, 1, 1000));
        Assert.False(await t.Db.Inbox.ContainsAsync(Alice, 3, 1000));

        var taken = await t.Db.Inbox.TakeAsync(100);
        Assert.Equal(["one", "other device", "other sender", "other time"], taken.Select(i => i.Body));

        // Still a duplicate after it was handed out: a late redelivery from the server must not reappear.
        Assert.True((await t.Db.Inbox.InsertAsync(Text(Alice, 1, 1000, "late"))).IsDuplicate);
        Assert.Empty(await t.Db.Inbox.TakeAsync(100));
    }

    [Fact]
    public async Task Error_items_are_items_and_without_sender_never_collide()
    {
        await using var t = await TestDatabase.OpenAsync();
        Assert.True((await t.Db.Inbox.InsertAsync(InboxItem.Error(InboxStatus.MessageError, "bad mac", 5, 6))).Inserted);
        Assert.True((await t.Db.Inbox.InsertAsync(InboxItem.Error(InboxStatus.MessageError, "bad mac", 5, 6))).Inserted);
        Assert.True((await t.Db.Inbox.InsertAsync(InboxItem.Error(InboxStatus.MessageParsingError, "junk", 7, 8, new InboxSender(Alice, null, 2)))).Inserted);
        Assert.Throws<ArgumentOutOfRangeException>(() => InboxItem.Error(3, "no", 1, 1));

        var taken = await t.Db.Inbox.TakeAsync(10);
        Assert.Equal([8, 8, 10], taken.Select(i => i.StatusCode));
        Assert.All(taken, i => Assert.Equal(InboxItemKind.Error, i.Kind));
        Assert.Null(taken[0].Sender);
        Assert.Equal(new InboxSender(Alice, null, 2), taken[2].Sender);
        Assert.Equal("junk", taken[2].ErrorMessage);
    }

    [Fact]
    public async Task Take_hands_out_oldest_first_at_most_max_and_each_once()
    {
        await using var t = await TestDatabase.OpenAsync();
        for (var i = 0; i < 7; i++)
        {
            await t.Db.Inbox.InsertAsync(Text(Alice, 1, (ulong)(100 - i), "m" + i));
        }

        Assert.Equal(7, await t.Db.Inbox.CountPendingAsync());
        Assert.Equal(["m0", "m1", "m2"], (await t.Db.Inbox.TakeAsync(3)).Select(i => i.Body));
        Assert.Equal(["m3", "m4", "m5", "m6"], (await t.Db.Inbox.TakeAsync(30)).Select(i => i.Body));
        Assert.Empty(await t.Db.Inbox.TakeAsync(30));
        Assert.Equal(0, await t.Db.Inbox.CountPendingAsync());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => t.Db.Inbox.TakeAsync(0));
    }

    [Fact]
    public async Task Batch_insert_reports_each_item_and_dedupes_within_the_batch()
    {
        await using var t = await TestDatabase.OpenAsync();
        var results = await t.Db.Inbox.InsertManyAsync([Text(Alice, 1, 1, "a"), Text(Alice, 1, 1, "a again"), Text(Alice, 1, 2, "b")]);
        Assert.Equal([true, false, true], results.Select(r => r.Inserted));
        Assert.Equal(["a", "b"], (await t.Db.Inbox.TakeAsync(10)).Select(i => i.Body));
    }

    [Fact]
    public async Task Concurrent_takers_receive_every_item_exactly_once()
    {
        await using var t = await TestDatabase.OpenAsync();
        const int Count = 400;
        var seen = new ConcurrentBag<ulong>();
        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < Count; i += 10)
            {
                await t.Db.Inbox.InsertManyAsync(Enumerable.Range(i, 10).Select(j => Text(Alice, 1, (ulong)j, "x")).ToList());
            }
        });
        var takers = Enumerable.Range(0, 8).Select(k => Task.Run(async () =>
        {
            while (true)
            {
                var batch = await t.Db.Inbox.TakeAsync(1 + k % 4);
                foreach (var item in batch)
                {
                    seen.Add(item.Timestamp);
                }

                if (batch.Count == 0)
                {
                    if (producer.IsCompleted && await t.Db.Inbox.CountPendingAsync() == 0)
                    {
                        return;
                    }

                    await Task.Yield();
                }
            }
        })).ToArray();
        await producer;
        await Task.WhenAll(takers);
        Assert.Equal(Count, seen.Count);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (ulong)i), seen.Order());
    }

    [Fact]
    public async Task Two_database_handles_on_one_file_never_hand_out_the_same_item()
    {
        // Two processes' worth of writers: SQLite's own locking (BEGIN IMMEDIATE + busy timeout) must serialise them.
        await using var t = await TestDatabase.OpenAsync();
        await using var other = await AccountDatabase.OpenAsync(t.Db.DirectoryPath, TestDatabase.Options(t.Time));
        await t.Db.Inbox.InsertManyAsync(Enumerable.Range(0, 200).Select(i => Text(Alice, 1, (ulong)i, "x")).ToList());
        var seen = new ConcurrentBag<ulong>();
        async Task Drain(AccountDatabase db)
        {
            IReadOnlyList<InboxItem> batch;
            while ((batch = await db.Inbox.TakeAsync(3)).Count > 0)
            {
                foreach (var item in batch)
                {
                    seen.Add(item.Timestamp);
                }
            }
        }

        await Task.WhenAll(Task.Run(() => Drain(t.Db)), Task.Run(() => Drain(other)), Task.Run(() => Drain(t.Db)), Task.Run(() => Drain(other)));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (ulong)i), seen.Order());
    }

    [Fact]
    public async Task Delivered_items_are_pruned_after_the_keep_period_only()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Inbox.InsertAsync(Text(Alice, 1, 1, "old"));
        await t.Db.Inbox.TakeAsync(10);
        t.Time.Advance(TimeSpan.FromDays(2));
        var fresh = await t.Db.Inbox.InsertAsync(Text(Alice, 1, 2, "fresh"));
        await t.Db.Inbox.TakeAsync(10);
        var waiting = await t.Db.Inbox.InsertAsync(Text(Alice, 1, 3, "waiting"));
        t.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(1, (await t.Db.Inbox.PruneDeliveredAsync(TimeSpan.FromDays(1))).Items);
        Assert.NotNull(await t.Db.Inbox.GetAsync(fresh.Id));
        Assert.NotNull(await t.Db.Inbox.GetAsync(waiting.Id));
        Assert.Equal(0, (await t.Db.Inbox.PruneDeliveredAsync(TimeSpan.FromDays(1))).Items);
        t.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(1, (await t.Db.Inbox.PruneDeliveredAsync(TimeSpan.FromDays(1))).Items);
        Assert.Equal("waiting", Assert.Single(await t.Db.Inbox.TakeAsync(10)).Body);
    }

    [Fact]
    public async Task Waiter_returns_at_once_when_items_wait_and_wakes_on_insert()
    {
        await using var t = await TestDatabase.OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var waiting = t.Db.Inbox.WaitForItemsAsync(cts.Token);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        await t.Db.Inbox.InsertAsync(Text(Alice, 1, 1, "wake"));
        await waiting;

        // An item is waiting: no wait at all.
        await t.Db.Inbox.WaitForItemsAsync(cts.Token);

        await t.Db.Inbox.TakeAsync(10);
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t.Db.Inbox.WaitForItemsAsync(shortWait.Token));

        // A duplicate is not news.
        var again = t.Db.Inbox.WaitForItemsAsync(cts.Token);
        await t.Db.Inbox.InsertAsync(Text(Alice, 1, 1, "dup"));
        await Task.Delay(50);
        Assert.False(again.IsCompleted);
        await t.Db.Inbox.InsertAsync(Text(Alice, 1, 2, "new"));
        await again;
    }

    [Fact]
    public async Task Insert_inside_an_account_transaction_is_atomic_with_other_writes_and_signals_on_commit()
    {
        await using var t = await TestDatabase.OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await using (var tx = await t.Db.BeginTransactionAsync())
        {
            await tx.Settings.SetInt64Async("ratchet", 1);
            await tx.Inbox.InsertAsync(Text(Alice, 1, 1, "rolled back"));
            // The transaction's stores see its own writes; the database's readers do not.
            Assert.Equal(1, await tx.Inbox.CountPendingAsync());
            Assert.Equal(0, await t.Db.Inbox.CountPendingAsync());
        }

        Assert.Null(await t.Db.Settings.GetInt64Async("ratchet"));
        Assert.Equal(0, await t.Db.Inbox.CountPendingAsync());

        var waiter = t.Db.Inbox.WaitForItemsAsync(cts.Token);
        await using (var tx = await t.Db.BeginTransactionAsync())
        {
            await tx.Settings.SetInt64Async("ratchet", 2);
            await tx.Inbox.InsertAsync(Text(Alice, 1, 1, "committed"));
            await Task.Delay(50);
            Assert.False(waiter.IsCompleted); // not visible to other readers yet
            await tx.CommitAsync();
        }

        await waiter;
        Assert.Equal(2L, await t.Db.Settings.GetInt64Async("ratchet"));
        Assert.Equal("committed", Assert.Single(await t.Db.Inbox.TakeAsync(5)).Body);
    }

    [Fact]
    public async Task A_failed_store_call_inside_a_transaction_undoes_only_itself()
    {
        await using var t = await TestDatabase.OpenAsync();
        await using (var tx = await t.Db.BeginTransactionAsync())
        {
            await tx.Settings.SetInt64Async("kept", 1);
            await Assert.ThrowsAsync<InvalidOperationException>(() => tx.Scope.WriteAsync(async (c, x) =>
            {
                await c.Command(x, "INSERT INTO account_settings (key, value) VALUES ('undone', 1)").ExecuteAsync(default);
                throw new InvalidOperationException();
            }, default));
            await tx.CommitAsync();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => tx.Settings.SetInt64Async("late", 1));
        }

        Assert.Equal(1L, await t.Db.Settings.GetInt64Async("kept"));
        Assert.Null(await t.Db.Settings.GetInt64Async("undone"));
    }

    [Fact]
    public async Task Other_writers_wait_for_an_open_transaction_and_readers_do_not()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Settings.SetInt64Async("n", 1);
        Task outside;
        await using (var tx = await t.Db.BeginTransactionAsync())
        {
            await tx.Settings.SetInt64Async("n", 2);
            outside = Task.Run(() => t.Db.Settings.SetInt64Async("other", 1));
            await Task.Delay(50);
            Assert.False(outside.IsCompleted);
            Assert.Equal(1L, await t.Db.Settings.GetInt64Async("n"));
        }

        await outside;
        Assert.Equal(1L, await t.Db.Settings.GetInt64Async("other"));
        Assert.Equal(1L, await t.Db.Settings.GetInt64Async("n"));
    }
}

public sealed class InboxReleaseTests
{
    private static readonly Guid Alice = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");

    [Fact]
    public async Task Released_items_are_handed_out_again_in_order_and_wake_waiters()
    {
        await using var t = await TestDatabase.OpenAsync();
        for (var i = 0; i < 4; i++)
        {
            await t.Db.Inbox.InsertAsync(new InboxItem { Timestamp = (ulong)i, Sender = new InboxSender(Alice, null, 1), Body = "m" + i });
        }

        var first = await t.Db.Inbox.TakeAsync(2);
        var second = await t.Db.Inbox.TakeAsync(2);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var waiter = t.Db.Inbox.WaitForItemsAsync(cts.Token);
        Assert.False(waiter.IsCompleted);

        // The client that got the first two went away before reading them.
        Assert.Equal(2, await t.Db.Inbox.ReleaseAsync(first.Select(i => i.Id).ToList()));
        await waiter;
        Assert.Equal(0, await t.Db.Inbox.ReleaseAsync(first.Select(i => i.Id).ToList())); // already back: no-op
        var again = await t.Db.Inbox.TakeAsync(10);
        Assert.Equal(["m0", "m1"], again.Select(i => i.Body));
        Assert.Empty(await t.Db.Inbox.TakeAsync(10));
        Assert.Equal(["m2", "m3"], second.Select(i => i.Body));
    }
}

public sealed class InboxEdgeTests
{
    private static readonly Guid Alice = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");

    [Fact]
    public async Task Attachments_stay_with_their_items_across_a_batch()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Inbox.InsertManyAsync(
        [
            new InboxItem { Timestamp = 1, Sender = new InboxSender(Alice, null, 1), Attachments = [new InboxAttachment("image/png", "a.png", 10)] },
            new InboxItem { Timestamp = 2, Sender = new InboxSender(Alice, null, 1), Body = "none" },
            new InboxItem { Timestamp = 3, Sender = new InboxSender(Alice, null, 1), Attachments = [new InboxAttachment("a/b", "1", 1), new InboxAttachment("c/d", "2", 2)] },
        ]);
        var items = await t.Db.Inbox.TakeAsync(10);
        Assert.Equal(["a.png"], items[0].Attachments.Select(a => a.FileName));
        Assert.Empty(items[1].Attachments);
        Assert.Equal(["1", "2"], items[2].Attachments.Select(a => a.FileName));
    }

    [Fact]
    public async Task A_cancelled_take_hands_out_nothing()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Inbox.InsertAsync(new InboxItem { Timestamp = 1, Sender = new InboxSender(Alice, null, 1), Body = "kept" });
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t.Db.Inbox.TakeAsync(10, cancelled.Token));
        Assert.Equal("kept", Assert.Single(await t.Db.Inbox.TakeAsync(10)).Body);
    }

    [Fact]
    public async Task More_concurrent_readers_than_pooled_connections_all_complete()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Inbox.InsertAsync(new InboxItem { Timestamp = 1, Sender = new InboxSender(Alice, null, 1) });
        var counts = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => t.Db.Inbox.CountPendingAsync())));
        Assert.All(counts, c => Assert.Equal(1, c));
    }
}
