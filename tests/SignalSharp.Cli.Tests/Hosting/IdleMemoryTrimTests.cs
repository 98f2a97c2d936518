using SignalSharp.Cli.Hosting;

namespace SignalSharp.Cli.Tests.Hosting;

/// <summary>The daemon's idle trim: once after each burst of allocations, only when the last interval was quiet.</summary>
public sealed class IdleMemoryTrimTests
{
    [Fact]
    public async Task It_trims_once_after_a_burst_when_the_process_went_quiet_and_not_while_work_goes_on()
    {
        long allocated = 0;
        var trims = 0;
        var trimmer = new IdleMemoryTrim(() => allocated, () => { trims++; return Task.CompletedTask; });

        // Busy: a burst spread over ticks, each tick well above the quiet mark.
        for (var i = 0; i < 4; i++)
        {
            allocated += 2 * IdleMemoryTrim.QuietBytes + IdleMemoryTrim.BurstBytes / 2;
            Assert.False(await trimmer.TickAsync());
        }

        Assert.Equal(0, trims);

        // Quiet after the burst: one trim.
        allocated += IdleMemoryTrim.QuietBytes / 4;
        Assert.True(await trimmer.TickAsync());
        Assert.Equal(1, trims);

        // Still idle (keepalives): nothing new to give back.
        for (var i = 0; i < 10; i++)
        {
            allocated += IdleMemoryTrim.QuietBytes / 4;
            Assert.False(await trimmer.TickAsync());
        }

        Assert.Equal(1, trims);
    }

    [Fact]
    public async Task Quiet_ticks_that_add_up_to_less_than_a_burst_never_trim_and_a_small_burst_waits_for_more()
    {
        long allocated = 0;
        var trims = 0;
        var trimmer = new IdleMemoryTrim(() => allocated, () => { trims++; return Task.CompletedTask; });
        allocated += IdleMemoryTrim.BurstBytes;
        Assert.False(await trimmer.TickAsync());
        Assert.True(await trimmer.TickAsync());
        Assert.Equal(1, trims);

        // A busy interval, but under a burst in all: not worth a full GC.
        allocated += IdleMemoryTrim.BurstBytes / 2;
        Assert.False(await trimmer.TickAsync());
        Assert.False(await trimmer.TickAsync());
        // More work brings it over the mark; the trim waits for the quiet interval after it.
        allocated += IdleMemoryTrim.BurstBytes / 2;
        Assert.False(await trimmer.TickAsync());
        Assert.True(await trimmer.TickAsync());
        Assert.Equal(2, trims);
    }

    [Fact]
    public async Task A_long_quiet_stretch_gives_malloc_back_its_free_pages_now_and_then_without_a_full_trim()
    {
        long allocated = 0;
        var trims = 0;
        var nativeTrims = 0;
        var trimmer = new IdleMemoryTrim(() => allocated, () => { trims++; return Task.CompletedTask; }, () => nativeTrims++);
        allocated += IdleMemoryTrim.BurstBytes;
        Assert.False(await trimmer.TickAsync());
        Assert.True(await trimmer.TickAsync());

        // Idle (keepalives only): connections closing on their timers free native memory; malloc_trim alone, now and then.
        for (var i = 0; i < 3 * IdleMemoryTrim.NativeTrimTicks; i++)
        {
            allocated += IdleMemoryTrim.QuietBytes / 4;
            Assert.False(await trimmer.TickAsync());
        }

        Assert.Equal((1, 3), (trims, nativeTrims));

        // Work resets the count: the next one comes only after that many quiet intervals again.
        allocated += 2 * IdleMemoryTrim.QuietBytes;
        Assert.False(await trimmer.TickAsync());
        for (var i = 0; i < IdleMemoryTrim.NativeTrimTicks - 1; i++)
        {
            Assert.False(await trimmer.TickAsync());
        }

        Assert.Equal(3, nativeTrims);
        Assert.False(await trimmer.TickAsync());
        Assert.Equal((1, 4), (trims, nativeTrims));
    }
}
