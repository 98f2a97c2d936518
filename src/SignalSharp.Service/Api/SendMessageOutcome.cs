namespace SignalSharp.Service.Api;

/// <summary>What <c>PUT /v1/messages/{serviceId}</c> decided; 409 and 410 are part of the normal send loop.</summary>
public abstract record SendMessageOutcome
{
    private protected SendMessageOutcome()
    {
    }

    /// <summary>200: delivered to every listed device.</summary>
    public sealed record Sent : SendMessageOutcome;

    /// <summary>409: devices we did not encrypt for, and devices that no longer exist.</summary>
    public sealed record MismatchedDevices(IReadOnlyList<uint> Missing, IReadOnlyList<uint> Extra) : SendMessageOutcome;

    /// <summary>410: devices whose registration id changed, so our sessions with them are stale.</summary>
    public sealed record StaleDevices(IReadOnlyList<uint> Stale) : SendMessageOutcome;
}
