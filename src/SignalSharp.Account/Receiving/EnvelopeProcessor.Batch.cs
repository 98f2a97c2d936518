using Google.Protobuf;
using SignalSharp.Account.Proto;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Service.Transport;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Protocol;
using SignalSharp.Store.Recipients;

namespace SignalSharp.Account.Receiving;

/// <summary>The batch path: what already waits on the socket, decrypted and stored in one transaction.</summary>
internal sealed partial class EnvelopeProcessor
{
    /// <summary>
    /// A burst of envelopes in one transaction (one commit instead of one per envelope): the common case of every
    /// envelope decrypting and parsing. Returns null, having changed nothing, when any of them fails to: the caller
    /// then takes that batch one envelope at a time through <see cref="ProcessAsync"/>, which stores each failure
    /// as an error item on its own. Duplicates, also within the batch, are dropped as one by one.
    /// </summary>
    public async Task<IReadOnlyList<EnvelopeOutcome>?> TryProcessBatchAsync(IReadOnlyList<ReceivedEnvelope> envelopes, CancellationToken cancellationToken)
    {
        var outcomes = new EnvelopeOutcome[envelopes.Count];
        var handled = new List<(int Index, Guid Sender, Content Content, bool Held)>(envelopes.Count);
        var batch = new BatchState();
        var certificates = new SenderCertificateCache();
        var cached = new Dictionary<AccountIdentity, (CipherStores Stores, BatchSessionStore Sessions)>();
        var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        CipherStores BatchStoresFor(AccountIdentity identity)
        {
            if (!cached.TryGetValue(identity, out var entry))
            {
                var stores = CipherStores.Of(tx.ProtocolStores(identity));
                var sessions = new BatchSessionStore(stores.Sessions);
                entry = (stores with { Sessions = sessions, IdentityKeys = new BatchIdentityStore(stores.IdentityKeys) }, sessions);
                cached[identity] = entry;
            }

            return entry.Stores;
        }

        await using (tx.ConfigureAwait(false))
        {
            for (var i = 0; i < envelopes.Count; i++)
            {
                var envelope = envelopes[i];
                if (envelope.Type == EnvelopeType.ServerDeliveryReceipt)
                {
                    outcomes[i] = EnvelopeOutcome.Recorded;
                    continue;
                }

                // Items of earlier commits; a repeat within this batch is caught by the ratchet or by the insert.
                if (envelope.SourceServiceId is { } source && Guid.TryParse(source, out var knownSender)
                    && await tx.Inbox.ContainsAsync(knownSender, envelope.SourceDevice, envelope.ClientTimestamp, cancellationToken).ConfigureAwait(false))
                {
                    outcomes[i] = EnvelopeOutcome.Duplicate;
                    continue;
                }

                DecryptedEnvelope opened;
                try
                {
                    opened = await DecryptAsync(envelope, BatchStoresFor(IdentityOf(envelope)), cancellationToken, certificates).ConfigureAwait(false);
                }
                catch (Exception e) when (IsRedelivery(e))
                {
                    outcomes[i] = EnvelopeOutcome.Duplicate;
                    continue;
                }
                catch (Exception e) when (IsUndecryptable(e))
                {
                    return null;
                }

                if (ParseContent(opened, out _) is not { } content)
                {
                    return null;
                }

                batch.Index = i;
                (outcomes[i], var held) = await StoreContentAsync(tx, tx.ProtocolStores(IdentityOf(envelope)), envelope, opened, content, batch, cancellationToken)
                    .ConfigureAwait(false);
                handled.Add((i, opened.SenderAci, content, held));
            }

            foreach (var (_, sessions) in cached.Values)
            {
                await sessions.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            // The items go in together, after every decryption of the batch.
            var inserted = await tx.Inbox.InsertManyAsync(batch.Items.Select(i => i.Item).ToList(), cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < inserted.Count; k++)
            {
                outcomes[batch.Items[k].Index] = inserted[k].Inserted ? EnvelopeOutcome.Stored : EnvelopeOutcome.Duplicate;
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (index, sender, content, held) in handled)
        {
            // A repeat that only the insert recognised was not news: no hooks for it, as one by one.
            if (outcomes[index] != EnvelopeOutcome.Duplicate)
            {
                await AfterCommitAsync(sender, content, held).ConfigureAwait(false);
            }
        }

        return outcomes;
    }

    /// <summary>What one batch transaction remembers between its envelopes.</summary>
    private sealed class BatchState
    {
        /// <summary>Senders already resolved: nothing else writes during the batch, so a burst from one contact
        /// resolves its recipient once.</summary>
        public Dictionary<(Guid, string?), Recipient> Senders { get; } = [];

        /// <summary>Inbox items to insert together at the end, with the index of their envelope.</summary>
        public List<(int Index, InboxItem Item)> Items { get; } = [];

        public int Index { get; set; }
    }
}
