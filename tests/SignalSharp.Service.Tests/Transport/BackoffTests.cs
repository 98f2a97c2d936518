using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Transport;

public sealed class BackoffTests
{
    [Fact]
    public void Delays_grow_exponentially_within_the_jitter_band_and_stop_at_the_maximum()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), Factor: 2, Jitter: 0.25);
        var random = new Random(1234);
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var nominal = Math.Min(5000, 100 * Math.Pow(2, attempt));
            for (var i = 0; i < 50; i++)
            {
                var delay = backoff.Delay(attempt, random).TotalMilliseconds;
                Assert.InRange(delay, nominal * 0.75 - 0.001, Math.Min(5000, nominal * 1.25) + 0.001);
            }
        }
    }

    [Fact]
    public void Jitter_spreads_clients_apart()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var random = new Random(42);
        var delays = Enumerable.Range(0, 100).Select(_ => backoff.Delay(3, random)).Distinct().Count();
        Assert.True(delays > 90, $"only {delays} distinct delays out of 100");
    }

    [Fact]
    public void Huge_attempt_numbers_do_not_overflow()
    {
        var backoff = Backoff.Default;
        Assert.True(backoff.Delay(int.MaxValue) <= backoff.Maximum);
    }
}
