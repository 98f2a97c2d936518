using Microsoft.Extensions.Logging;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Errors;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// The background receiver: envelopes from the chat socket, decrypted and stored, then acked. What is already
/// waiting on the socket is taken together (up to <c>maxBatch</c>, <see cref="LinkedAccountOptions.ReceiveBatch"/>) and stored under one hold of the
/// protocol gate and one transaction, so a burst costs one commit instead of one per envelope; the acks follow
/// only that commit. A batch in which any envelope fails to decrypt or parse is rolled back and taken again one
/// envelope at a time, so each failure becomes its own error item and the others are stored as usual. Envelopes
/// that could not be stored at all stay unacked, and <see cref="StoreOutage"/> gets the server to deliver them again.
/// </summary>
internal sealed class ReceiveLoop(ChatConnection chat, EnvelopeProcessor processor, AccountDatabase db, SemaphoreSlim protocolGate, int maxBatch, ILogger logger)
{
    private readonly StoreOutage outage = new(chat, Backoff.Default, logger);
    private int handled;
    private string? lastStoreFailure;

    /// <summary>Called for each envelope once it is stored (or dropped as a duplicate) and its ack was sent.</summary>
    public Action<ReceivedEnvelope>? Handled { get; init; }

    /// <summary>Envelopes finished (stored, dropped as duplicates, or stored as failures) and acked.</summary>
    public int EnvelopesHandled => Volatile.Read(ref handled);

    /// <summary>Reconnects made so that the server redelivers envelopes the store could not take.</summary>
    public int StoreOutageReconnects => outage.Reconnects;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var acks = Task.CompletedTask;
        await foreach (var pushes in chat.ReadPushBatchesAsync(Math.Clamp(maxBatch, 1, 1024), cancellationToken).ConfigureAwait(false))
        {
            var deliveries = new List<EnvelopeDelivery>(pushes.Count);
            foreach (var push in pushes)
            {
                switch (push)
                {
                    case EnvelopeDelivery delivery:
                        deliveries.Add(delivery);
                        break;
                    case MalformedDelivery malformed:
                        if (!await TryStoreMalformedAsync(malformed, cancellationToken).ConfigureAwait(false))
                        {
                            await outage.ReconnectAfterFailureAsync(1, lastStoreFailure!, cancellationToken).ConfigureAwait(false);
                        }

                        break;
                    case QueueEmpty:
                        AccountLog.QueueDrained(logger);
                        break;
                }
            }

            if (deliveries.Count == 0)
            {
                continue;
            }

            var stored = await StoreAsync(deliveries, cancellationToken).ConfigureAwait(false);
            // Acks of one batch go out while the next is decrypted; only one batch's acks are in flight at a time.
            await acks.ConfigureAwait(false);
            acks = AckAsync(stored, cancellationToken);
            if (stored.Count < deliveries.Count)
            {
                await acks.ConfigureAwait(false);
                await outage.ReconnectAfterFailureAsync(deliveries.Count - stored.Count, lastStoreFailure ?? "unknown", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                outage.Recovered();
            }
        }

        await acks.ConfigureAwait(false);
    }

    /// <summary>The deliveries that are safely stored (committed), in order; the rest stay with the server.</summary>
    private async Task<List<EnvelopeDelivery>> StoreAsync(List<EnvelopeDelivery> deliveries, CancellationToken cancellationToken)
    {
        await protocolGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (deliveries.Count > 1)
            {
                try
                {
                    var outcomes = await processor.TryProcessBatchAsync(deliveries.Select(d => d.Envelope).ToList(), cancellationToken).ConfigureAwait(false);
                    if (outcomes is not null)
                    {
                        AccountLog.BatchStored(logger, outcomes.Count);
                        return deliveries;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    AccountLog.BatchFailed(logger, deliveries.Count, e.GetType().Name);
                    if (StoreFaults.IsUnavailable(e))
                    {
                        // One by one would only meet the same locked or full database once per envelope.
                        lastStoreFailure = StoreFaults.Describe(e);
                        return [];
                    }
                }
            }

            var stored = new List<EnvelopeDelivery>(deliveries.Count);
            foreach (var delivery in deliveries)
            {
                try
                {
                    var outcome = await processor.ProcessAsync(delivery.Envelope, cancellationToken).ConfigureAwait(false);
                    AccountLog.EnvelopeHandled(logger, outcome.ToString());
                    stored.Add(delivery);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Not stored: leave the message with the server (no 200), which re-delivers it later.
                    AccountLog.EnvelopeNotStored(logger, e.GetType().Name);
                    lastStoreFailure = StoreFaults.Describe(e);
                    if (StoreFaults.IsUnavailable(e))
                    {
                        // The store itself is down: the rest of the batch would wait out the same busy timeout each.
                        break;
                    }
                }
            }

            return stored;
        }
        finally
        {
            protocolGate.Release();
        }
    }

    private async Task AckAsync(List<EnvelopeDelivery> stored, CancellationToken cancellationToken)
    {
        // Only now, with the items committed, may the server forget the messages.
        var sends = new Task<bool>[stored.Count];
        for (var i = 0; i < stored.Count; i++)
        {
            sends[i] = stored[i].AckAsync(cancellationToken).AsTask();
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
        foreach (var delivery in stored)
        {
            Interlocked.Increment(ref handled);
            Handled?.Invoke(delivery.Envelope);
        }
    }

    /// <summary>False when the error item could not be stored: the push stays unacked, as any other.</summary>
    private async Task<bool> TryStoreMalformedAsync(MalformedDelivery malformed, CancellationToken cancellationToken)
    {
        try
        {
            var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                await tx.Inbox.InsertAsync(InboxItem.Error(InboxStatus.MessageParsingError, "envelope did not parse: " + malformed.Reason, 0, 0), cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AccountLog.EnvelopeNotStored(logger, e.GetType().Name);
            lastStoreFailure = StoreFaults.Describe(e);
            return false;
        }

        await malformed.AckAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
