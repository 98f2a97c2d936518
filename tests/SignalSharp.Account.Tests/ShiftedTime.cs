namespace SignalSharp.Account.Tests;

/// <summary>The real clock moved forward by whatever the test says (days pass in an instant; timers stay real).</summary>
internal sealed class ShiftedTime : TimeProvider
{
    public TimeSpan Offset { get; private set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Offset += by;
}
