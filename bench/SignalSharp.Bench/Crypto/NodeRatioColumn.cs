using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SignalSharp.Bench.Crypto;

/// <summary>
/// Adds libsignal's (node) time for the same operation and the ratio C#/libsignal (below 1.0 = C# faster). The
/// benchmark method's name selects the node op through <see cref="NodeOpAttribute"/>.
/// </summary>
internal sealed class NodeRatioColumn(bool ratio) : IColumn
{
    public string Id => ratio ? "NodeRatio" : "NodeTime";

    public string ColumnName => ratio ? "C#/libsignal" : "libsignal (node)";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => ratio ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => ratio ? UnitType.Dimensionless : UnitType.Time;

    public string Legend => ratio ? "Mean of the C# benchmark divided by libsignal's time" : "libsignal 0.100.0 time per op, timed in node";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var op = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttributes(typeof(NodeOpAttribute), false)
            .OfType<NodeOpAttribute>().FirstOrDefault()?.Op;
        var node = op is null ? null : NodeCryptoTimings.NanosecondsPerOp(op);
        if (node is null)
        {
            return "-";
        }

        if (!ratio)
        {
            return $"{node.Value / 1000:F2} us";
        }

        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is null ? "?" : $"{mean.Value / node.Value:F2}";
    }
}

/// <summary>Names the node <c>crypto.timing</c> entry that measures the same operation.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class NodeOpAttribute(string op) : Attribute
{
    public string Op { get; } = op;
}
