using SignalSharp.Account.Api;

namespace SignalSharp.JsonRpc.Dispatch;

/// <summary>
/// What to send back for one input line: <see cref="Line"/> is null when nothing is answered (notifications only);
/// <see cref="Leases"/> are confirmed after the line was written and put back otherwise.
/// </summary>
public sealed record DispatchOutcome(byte[]? Line, IReadOnlyList<ReceivedBatch> Leases)
{
    public static DispatchOutcome Nothing { get; } = new(null, []);
}
