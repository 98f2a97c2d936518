namespace SignalSharp.Service.Transport;

/// <summary>
/// Exponential backoff with jitter for reconnects: attempt n waits about <c>Initial · Factor^n</c>, capped at
/// <c>Maximum</c>, then scaled by a random factor in [1 − Jitter, 1 + Jitter] so that many clients dropped by the
/// same outage do not all return in the same instant.
/// </summary>
public sealed record Backoff(TimeSpan Initial, TimeSpan Maximum, double Factor = 2.0, double Jitter = 0.2)
{
    public static Backoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

    public TimeSpan Delay(int attempt, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var baseMs = Math.Min(Maximum.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(Factor, Math.Min(attempt, 64)));
        var spread = 1 + (Jitter * ((2 * (random ?? Random.Shared).NextDouble()) - 1));
        return TimeSpan.FromMilliseconds(Math.Min(Maximum.TotalMilliseconds, baseMs * spread));
    }
}
