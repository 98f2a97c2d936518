using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Bench.Crypto;

/// <summary>
/// libsignal's time per operation, measured inside node (op <c>crypto.timing</c>: a loop in JS, so only the N-API
/// crossing is added, no IPC). Fetched once per host process and shared by the benchmark columns.
/// </summary>
internal static class NodeCryptoTimings
{
    private static readonly Lazy<IReadOnlyDictionary<string, double>> Timings = new(Measure, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Nanoseconds per operation in libsignal, by op name (sign, verify, agree, kemGenerate), or null if unavailable.</summary>
    public static double? NanosecondsPerOp(string op) => Timings.Value.TryGetValue(op, out var ns) ? ns : null;

    private static IReadOnlyDictionary<string, double> Measure()
    {
        try
        {
            return MeasureAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OracleException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine("node timings unavailable: " + e.Message);
            return new Dictionary<string, double>();
        }
    }

    private static async Task<IReadOnlyDictionary<string, double>> MeasureAsync()
    {
        await using var oracle = await NodeOracle.StartAsync().ConfigureAwait(false);
        var result = await oracle.CallAsync("crypto.timing", new JsonObject { ["iterations"] = 3000, ["messageLength"] = 100 }).ConfigureAwait(false);
        var timings = new Dictionary<string, double>();
        foreach (var (key, value) in result!.AsObject())
        {
            timings[key] = value!.GetValue<double>();
        }

        return timings;
    }
}
