using Microsoft.Extensions.Logging;
using SignalSharp.Service.Transport;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// What the receiver does while envelopes cannot be stored (the database locked, the disk full). Nothing unstored
/// is acked, but the server delivers an unacked envelope again only on a new connection: so after each round with
/// envelopes left unstored, the authenticated socket is dropped after a backoff that grows while the store keeps
/// failing, and the server hands them over again on the next socket; no restart needed.
/// </summary>
internal sealed partial class StoreOutage(ChatConnection chat, Backoff backoff, ILogger logger)
{
    private int failedRounds;

    /// <summary>Rounds in a row that left envelopes unstored.</summary>
    public int FailedRounds => Volatile.Read(ref failedRounds);

    /// <summary>Socket drops made so the server redelivers what was not stored.</summary>
    public int Reconnects { get; private set; }

    /// <summary>A round stored all it was given: the outage, if there was one, is over.</summary>
    public void Recovered()
    {
        if (FailedRounds > 0)
        {
            Recovered(logger, FailedRounds);
            Volatile.Write(ref failedRounds, 0);
        }
    }

    /// <summary>Waits the backoff for this round, then drops the socket; the connection reconnects at once.</summary>
    public async Task ReconnectAfterFailureAsync(int notStored, string reason, CancellationToken cancellationToken)
    {
        var delay = backoff.Delay(FailedRounds);
        Volatile.Write(ref failedRounds, FailedRounds + 1);
        Reconnecting(logger, notStored, reason, delay);
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        chat.DropCurrentSocket();
        Reconnects++;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} envelopes could not be stored ({Reason}); the server keeps them; reconnecting in {Delay} so that it delivers them again")]
    private static partial void Reconnecting(ILogger logger, int count, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Envelopes are stored again after {Rounds} failed rounds")]
    private static partial void Recovered(ILogger logger, int rounds);
}
