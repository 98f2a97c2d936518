namespace SignalSharp.Daemon.Tests.Support;

/// <summary>Waiting for a condition instead of sleeping for a guessed time.</summary>
internal static class Eventually
{
    /// <summary>Generous: the bound only matters when something is really broken, never on a slow or loaded machine.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test with <paramref name="what"/> after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"timed out after {limit} waiting until {what}");
            }

            await Task.Delay(5);
        }
    }
}
