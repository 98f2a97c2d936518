namespace SignalSharp.JsonRpc.Tests.Support;

internal static class Eventually
{
    /// <summary>Waits (generously, for a loaded machine) until <paramref name="condition"/> holds; fails if it never does.</summary>
    public static async Task HoldsAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "never happened: " + what);
            await Task.Delay(10);
        }
    }
}
