namespace SignalSharp.Faults.Tests.Support;

/// <summary>
/// How hard the fault suite pushes. CI runs the short form; <c>SIGNALSHARP_FAULTS=long</c> runs the long form
/// (hundreds of kills, thousands of messages, a million fuzzed inputs), which takes hours on a small machine.
/// </summary>
internal static class FaultScale
{
    public const string Variable = "SIGNALSHARP_FAULTS";

    public static bool Long { get; } = string.Equals(Environment.GetEnvironmentVariable(Variable), "long", StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="ci"/> in the short form, <paramref name="longForm"/> with the flag set.</summary>
    public static int Pick(int ci, int longForm) => Long ? longForm : ci;

    /// <summary>A seed printed by a failing test, so a failure found at random can be replayed.</summary>
    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable(Variable + "_SEED"), out var seed) ? seed : Random.Shared.Next();
}
