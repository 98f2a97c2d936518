using SignalSharp.Store.Inbox;

namespace SignalSharp.Store.Tests.Inbox;

/// <summary>Lease, then confirm or release: how the daemon hands items to a client that may go away mid-reply.</summary>
public sealed class InboxLeaseTests
{
    private static readonly Guid Alice = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");

    private static async Task InsertAsync(TestDatabase t, int count, int from = 0)
    {
        for (var i = from; i < from + count; i++)
        {
            await t.Db.Inbox.InsertAsync(new InboxItem { Timestamp = (ulong)i, Sender = new InboxSender(Alice, null, 1), Body = "m" + i });
        }
    }

    [Fact]
    public async Task Leased_items_are_hidden_from_other_takers_until_confirmed_or_released()
    {
        await using var t = await TestDatabase.OpenAsync();
        await InsertAsync(t, 5);
        var leased = await t.Db.Inbox.LeaseAsync(3);
        Assert.Equal(["m0", "m1", "m2"], leased.Select(i => i.Body));
        Assert.All(leased, i => Assert.Equal(t.Time.Now, i.LeasedAt));
        Assert.All(leased, i => Assert.Null(i.DeliveredAt));
        Assert.Equal(2, await t.Db.Inbox.CountPendingAsync());
        Assert.Equal(3, await t.Db.Inbox.CountLeasedAsync());

        // Another taker gets only what is not leased.
        var other = await t.Db.Inbox.LeaseAsync(10);
        Assert.Equal(["m3", "m4"], other.Select(i => i.Body));
        Assert.Empty(await t.Db.Inbox.TakeAsync(10));

        t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, await t.Db.Inbox.ConfirmAsync(leased.Select(i => i.Id).ToList()));
        Assert.Equal(2, await t.Db.Inbox.ReleaseAsync(other.Select(i => i.Id).ToList()));
        Assert.Equal(0, await t.Db.Inbox.CountLeasedAsync());

        var delivered = await t.Db.Inbox.GetAsync(leased[0].Id);
        Assert.Equal(t.Time.Now, delivered!.DeliveredAt);
        Assert.Null(delivered.LeasedAt);
        Assert.Equal(["m3", "m4"], (await t.Db.Inbox.TakeAsync(10)).Select(i => i.Body));
    }

    [Fact]
    public async Task A_released_lease_cannot_be_confirmed_and_a_confirmed_one_is_not_released_by_a_late_confirm()
    {
        await using var t = await TestDatabase.OpenAsync();
        await InsertAsync(t, 2);
        var leased = await t.Db.Inbox.LeaseAsync(2);
        var ids = leased.Select(i => i.Id).ToList();
        Assert.Equal(2, await t.Db.Inbox.ReleaseAsync(ids));
        // The release won: a late confirm must not mark the items delivered behind the next taker's back.
        Assert.Equal(0, await t.Db.Inbox.ConfirmAsync(ids));
        Assert.Equal(2, await t.Db.Inbox.CountPendingAsync());

        var again = await t.Db.Inbox.LeaseAsync(2);
        Assert.Equal(ids, again.Select(i => i.Id));
        Assert.Equal(2, await t.Db.Inbox.ConfirmAsync(ids));
        Assert.Equal(0, await t.Db.Inbox.ConfirmAsync(ids));
        Assert.Equal(0, await t.Db.Inbox.CountPendingAsync());
    }

    [Fact]
    public async Task Releasing_leases_leaves_confirmed_and_retaken_items_alone()
    {
        await using var t = await TestDatabase.OpenAsync();
        await InsertAsync(t, 3);
        var first = await t.Db.Inbox.LeaseAsync(1);
        await t.Db.Inbox.ConfirmAsync([first[0].Id]);
        Assert.Equal(0, await t.Db.Inbox.ReleaseLeasesAsync([first[0].Id]));
        Assert.Equal(["m1", "m2"], (await t.Db.Inbox.TakeAsync(10)).Select(i => i.Body));
        Assert.Equal(0, await t.Db.Inbox.CountPendingAsync());
    }

    [Fact]
    public async Task A_release_wakes_a_waiting_taker()
    {
        await using var t = await TestDatabase.OpenAsync();
        await InsertAsync(t, 1);
        var leased = await t.Db.Inbox.LeaseAsync(1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var waiter = t.Db.Inbox.WaitForItemsAsync(cts.Token);
        Assert.False(waiter.IsCompleted);
        Assert.Equal(1, await t.Db.Inbox.ReleaseLeasesAsync([leased[0].Id]));
        await waiter;
        Assert.Equal("m0", Assert.Single(await t.Db.Inbox.LeaseAsync(5)).Body);
    }

    [Fact]
    public async Task Leases_left_open_at_a_close_are_released_on_reopen_confirmed_items_are_not()
    {
        await using var t = await TestDatabase.OpenAsync();
        await InsertAsync(t, 6);
        var confirmed = await t.Db.Inbox.LeaseAsync(2);
        await t.Db.Inbox.ConfirmAsync(confirmed.Select(i => i.Id).ToList());
        var abandoned = await t.Db.Inbox.LeaseAsync(2);

        // The process ends without confirming or releasing (as a crash would leave it).
        await t.ReopenAsync();
        Assert.Equal(2, await t.Db.Inbox.CountLeasedAsync());
        Assert.Equal(2, await t.Db.Inbox.ReleaseAbandonedLeasesAsync());
        var next = await t.Db.Inbox.LeaseAsync(10);
        Assert.Equal(abandoned.Select(i => i.Body).Concat(["m4", "m5"]), next.Select(i => i.Body));
        Assert.DoesNotContain(next, i => confirmed.Any(c => c.Id == i.Id));
    }

    [Fact]
    public async Task Pruning_keeps_leased_items()
    {
        await using var t = await TestDatabase.OpenAsync();
        await InsertAsync(t, 2);
        var leased = await t.Db.Inbox.LeaseAsync(1);
        await t.Db.Inbox.TakeAsync(1);
        t.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(1, (await t.Db.Inbox.PruneDeliveredAsync(TimeSpan.FromDays(7))).Items);
        Assert.NotNull(await t.Db.Inbox.GetAsync(leased[0].Id));
    }

    [Fact]
    public async Task Pruning_named_items_removes_only_those_delivered_whatever_their_age()
    {
        await using var t = await TestDatabase.OpenAsync();
        await InsertAsync(t, 3);
        var delivered = await t.Db.Inbox.LeaseAsync(1);
        await t.Db.Inbox.ConfirmAsync([delivered[0].Id]);
        var leased = await t.Db.Inbox.LeaseAsync(1);
        var pending = (await t.Db.Inbox.LeaseAsync(1))[0];
        await t.Db.Inbox.ReleaseLeasesAsync([pending.Id]);

        var pruned = await t.Db.Inbox.PruneDeliveredItemsAsync([delivered[0].Id, leased[0].Id, pending.Id]);

        Assert.Equal(1, pruned.Items);
        Assert.Null(await t.Db.Inbox.GetAsync(delivered[0].Id));
        Assert.NotNull(await t.Db.Inbox.GetAsync(leased[0].Id));
        Assert.NotNull(await t.Db.Inbox.GetAsync(pending.Id));
    }

    [Fact]
    public async Task Concurrent_lease_and_release_cycles_hand_each_item_to_exactly_one_confirmer()
    {
        await using var t = await TestDatabase.OpenAsync();
        const int Count = 200;
        await InsertAsync(t, Count);
        var confirmed = new System.Collections.Concurrent.ConcurrentBag<ulong>();
        async Task Taker(int seed)
        {
            var random = new Random(seed);
            while (true)
            {
                var items = await t.Db.Inbox.LeaseAsync(random.Next(1, 8));
                if (items.Count == 0)
                {
                    return;
                }

                var ids = items.Select(i => i.Id).ToList();
                // Every third reply "fails to reach its client": the items go back for someone else.
                if (random.Next(3) == 0)
                {
                    Assert.Equal(ids.Count, await t.Db.Inbox.ReleaseLeasesAsync(ids));
                    continue;
                }

                Assert.Equal(items.Count, await t.Db.Inbox.ConfirmAsync(ids));
                foreach (var item in items)
                {
                    confirmed.Add(item.Timestamp);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(1, 4).Select(seed => Task.Run(() => Taker(seed))));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (ulong)i), confirmed.OrderBy(x => x));
        Assert.Equal(0, await t.Db.Inbox.CountLeasedAsync());
    }
}
