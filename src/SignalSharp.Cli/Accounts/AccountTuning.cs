namespace SignalSharp.Cli.Accounts;

/// <summary>
/// How a serving command runs its accounts beyond the defaults: how long delivered items stay (`--keep-delivered`)
/// and whether stories are received (`--receive-stories`).
/// </summary>
internal sealed record AccountTuning(TimeSpan? KeepDelivered = null, bool ReceiveStories = false)
{
    public static AccountTuning Default { get; } = new();

    public bool IsDefault => this == Default;
}
