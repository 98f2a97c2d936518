using SignalSharp.Store.Conversations;

namespace SignalSharp.Store.Tests.Conversations;

public sealed class ExpirationTimerStoreTests
{
    private static readonly byte[] Alice = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001").ToByteArray(bigEndian: true);
    private static readonly byte[] Group = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public async Task A_timer_is_taken_only_from_a_newer_version_unless_the_account_sets_it_itself()
    {
        await using var t = await TestDatabase.OpenAsync();
        Assert.Null(await t.Db.ExpirationTimers.GetAsync(Alice));

        Assert.True(await t.Db.ExpirationTimers.SetAsync(Alice, new ExpirationTimer(3600, 2)));
        // A late message from before the change (version 1) and a repeat of it (version 2) change nothing.
        Assert.False(await t.Db.ExpirationTimers.SetAsync(Alice, new ExpirationTimer(60, 1)));
        Assert.False(await t.Db.ExpirationTimers.SetAsync(Alice, new ExpirationTimer(60, 2)));
        Assert.Equal(new ExpirationTimer(3600, 2), await t.Db.ExpirationTimers.GetAsync(Alice));

        Assert.True(await t.Db.ExpirationTimers.SetAsync(Alice, new ExpirationTimer(0, 3)));
        Assert.True(await t.Db.ExpirationTimers.SetAsync(Group, new ExpirationTimer(604800, 0), force: true));
        Assert.True(await t.Db.ExpirationTimers.SetAsync(Group, new ExpirationTimer(86400, 0), force: true));
        await t.ReopenAsync();

        Assert.Equal(new ExpirationTimer(0, 3), await t.Db.ExpirationTimers.GetAsync(Alice));
        Assert.Equal(new ExpirationTimer(86400, 0), await t.Db.ExpirationTimers.GetAsync(Group));
    }
}
