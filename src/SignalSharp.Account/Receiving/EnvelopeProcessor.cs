using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Crypto;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account.Receiving;

/// <summary>What became of one envelope; the caller acks the server only after a commit.</summary>
internal enum EnvelopeOutcome
{
    Stored,
    Duplicate,
    Recorded,
    Failed,

    /// <summary>From a blocked sender or group: no item, no hooks, acked.</summary>
    Dropped,
}

/// <summary>
/// Takes envelopes up the receive walk, one by one or as a burst: already stored? → <see cref="EnvelopeDecryptor"/>
/// → <see cref="ContentAdmission"/> → <see cref="ReceivedContentWriter"/> → commit → the hooks. The protocol state
/// change and the inbox item are written in one transaction: a crash before the commit leaves the session untouched
/// and the server still holding the message, a crash after it finds the item stored and the message re-delivered as
/// a duplicate. An undecryptable envelope goes to <see cref="DecryptionFailures"/> instead.
/// </summary>
internal sealed class EnvelopeProcessor(AccountDatabase db, Guid aci, uint deviceId, string? number,
    IReadOnlyCollection<ECPublicKey> trustRoots, ILogger logger)
{
    private readonly EnvelopeDecryptor decryptor = new(aci, deviceId, number, trustRoots);
    private readonly ReceivedContentWriter writer = new(aci, deviceId, logger);

    /// <summary>Whether stories become items (`--receive-stories`); otherwise they are acked and dropped.</summary>
    public bool ReceiveStories { get => writer.ReceiveStories; init => writer = new(aci, deviceId, logger) { ReceiveStories = value }; }
    private readonly DecryptionFailures failures = new(db, aci, deviceId, logger);

    /// <summary>Fires after a decryption failure was stored, when the sender is known and a resend request can be built.</summary>
    public Func<RetryRequest, Task>? OnRetryRequest { get; init; }

    /// <summary>
    /// Fires (after the commit, still under the protocol gate) for content the account acts on outside the inbox, such
    /// as a contact sync or a peer's resend request; with the sender's ACI and device.
    /// </summary>
    public Func<Guid, uint, Content, Task>? OnContent { get; init; }

    /// <summary>Fires after a message was committed as held for its attachment downloads.</summary>
    public Action? OnHeld { get; init; }

    /// <summary>
    /// Fetches and stores a group's state (master key, the revision the message announced), outside any transaction,
    /// when a message names a group the store cannot judge; the envelope is then processed again.
    /// </summary>
    public Func<byte[], uint, CancellationToken, Task>? GroupRefresh { get; init; }

    public Task<EnvelopeOutcome> ProcessAsync(ReceivedEnvelope envelope, CancellationToken cancellationToken) =>
        ProcessAsync(envelope, groupsRefreshed: false, cancellationToken);

    private async Task<EnvelopeOutcome> ProcessAsync(ReceivedEnvelope envelope, bool groupsRefreshed, CancellationToken cancellationToken)
    {
        if (envelope.Type == EnvelopeType.ServerDeliveryReceipt)
        {
            return EnvelopeOutcome.Recorded;
        }

        var timestamp = envelope.ClientTimestamp;
        if (Aci.TryParse(envelope.SourceServiceId, out var knownSender)
            && await db.Inbox.ContainsAsync(knownSender.Uuid, envelope.SourceDevice, timestamp, cancellationToken).ConfigureAwait(false))
        {
            return EnvelopeOutcome.Duplicate;
        }

        var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var stores = tx.ProtocolStores(EnvelopeDecryptor.IdentityOf(envelope));
        var identities = new IdentityChangeWatch(stores.IdentityKeys);
        DecryptedEnvelope opened;
        try
        {
            opened = await decryptor.DecryptAsync(envelope, CipherStores.Of(stores) with { IdentityKeys = identities }, cancellationToken).ConfigureAwait(false);
            opened = opened with { ReplacedIdentity = identities.Take(opened.SenderAci.ToString()) };
        }
        catch (Exception e) when (EnvelopeDecryptor.IsRedelivery(e))
        {
            return EnvelopeOutcome.Duplicate;
        }
        catch (Exception e) when (EnvelopeDecryptor.IsUndecryptable(e))
        {
            // Nothing of the session changed: the decrypting transaction is dropped (it must end before the next
            // one begins: the database has one writer), and the failure itself is stored.
            await tx.DisposeAsync().ConfigureAwait(false);
            await failures.RecordAsync(envelope, e, OnRetryRequest, cancellationToken).ConfigureAwait(false);
            return EnvelopeOutcome.Failed;
        }

        var inboxSender = new InboxSender(opened.SenderAci, opened.SenderE164, opened.SenderDevice);
        if (EnvelopeDecryptor.ParseContent(opened, out var parseError) is not { } content)
        {
            await tx.Inbox.InsertAsync(InboxItem.Error(InboxStatus.MessageParsingError, "content did not parse: " + parseError, timestamp, envelope.ServerTimestamp, inboxSender), cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return EnvelopeOutcome.Failed;
        }

        if (ContentAdmission.RejectionOf(opened, content, aci) is { } reason)
        {
            // The session still moved on (the message was consumed); nothing of the content is kept.
            AccountLog.ContentRefused(logger, opened.SenderAci, opened.SenderDevice, reason);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return EnvelopeOutcome.Recorded;
        }

        EnvelopeOutcome outcome;
        bool held;
        try
        {
            (outcome, held) = await writer.StoreAsync(tx, stores, envelope, opened, content, null, groupsRefreshed, cancellationToken).ConfigureAwait(false);
        }
        catch (GroupStateNeededException needed)
        {
            // Nothing is committed: the envelope decrypts again once the group's state is stored.
            await tx.DisposeAsync().ConfigureAwait(false);
            if (GroupRefresh is { } refresh)
            {
                await refresh(needed.MasterKey, needed.Revision, cancellationToken).ConfigureAwait(false);
            }

            return await ProcessAsync(envelope, groupsRefreshed: true, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (outcome != EnvelopeOutcome.Dropped)
        {
            await AfterCommitAsync(opened.SenderAci, opened.SenderDevice, content, held).ConfigureAwait(false);
        }

        return outcome;
    }

    /// <summary>
    /// A burst of envelopes in one transaction (one commit instead of one per envelope): the common case of every
    /// envelope decrypting and parsing. Returns null, having changed nothing, when any of them fails to: the caller
    /// then takes that batch one envelope at a time through <see cref="ProcessAsync(ReceivedEnvelope, CancellationToken)"/>,
    /// which stores each failure as an error item on its own. Duplicates, also within the batch, are dropped as one by one.
    /// </summary>
    public async Task<IReadOnlyList<EnvelopeOutcome>?> TryProcessBatchAsync(IReadOnlyList<ReceivedEnvelope> envelopes, CancellationToken cancellationToken)
    {
        var outcomes = new EnvelopeOutcome[envelopes.Count];
        var handled = new List<(int Index, Guid Sender, uint Device, Content Content, bool Held)>(envelopes.Count);
        var batch = new ContentBatch();
        var certificates = new SenderCertificateCache();
        // No savepoint per store call: a store call that fails here either throws out of the batch or ends it with
        // null, and both roll the whole transaction back; the only failure the batch goes on after is a redelivery,
        // which the ratchet raises, never a store call (a savepoint undoes only the call that failed, not the calls
        // before it, so it would change nothing there).
        var tx = await db.BeginAllOrNothingTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            var batchStores = new BatchStoresByIdentity(tx);
            for (var i = 0; i < envelopes.Count; i++)
            {
                var envelope = envelopes[i];
                if (envelope.Type == EnvelopeType.ServerDeliveryReceipt)
                {
                    outcomes[i] = EnvelopeOutcome.Recorded;
                    continue;
                }

                // Items of earlier commits; a repeat within this batch is caught by the ratchet or by the insert.
                if (Aci.TryParse(envelope.SourceServiceId, out var knownSender)
                    && await tx.Inbox.ContainsAsync(knownSender.Uuid, envelope.SourceDevice, envelope.ClientTimestamp, cancellationToken).ConfigureAwait(false))
                {
                    outcomes[i] = EnvelopeOutcome.Duplicate;
                    continue;
                }

                var identity = EnvelopeDecryptor.IdentityOf(envelope);
                DecryptedEnvelope opened;
                try
                {
                    var (stores, identities) = batchStores.For(identity);
                    opened = await decryptor.DecryptAsync(envelope, stores, cancellationToken, certificates).ConfigureAwait(false);
                    opened = opened with { ReplacedIdentity = identities.Take(opened.SenderAci.ToString()) };
                }
                catch (Exception e) when (EnvelopeDecryptor.IsRedelivery(e))
                {
                    outcomes[i] = EnvelopeOutcome.Duplicate;
                    continue;
                }
                catch (Exception e) when (EnvelopeDecryptor.IsUndecryptable(e))
                {
                    return null;
                }

                if (EnvelopeDecryptor.ParseContent(opened, out _) is not { } content)
                {
                    return null;
                }

                if (ContentAdmission.RejectionOf(opened, content, aci) is { } reason)
                {
                    AccountLog.ContentRefused(logger, opened.SenderAci, opened.SenderDevice, reason);
                    outcomes[i] = EnvelopeOutcome.Recorded;
                    continue;
                }

                batch.Index = i;
                bool held;
                try
                {
                    (outcomes[i], held) = await writer.StoreAsync(tx, tx.ProtocolStores(identity), envelope, opened, content, batch, false, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (GroupStateNeededException)
                {
                    // A group fetch cannot happen inside the batch's transaction: one by one fetches it.
                    return null;
                }

                handled.Add((i, opened.SenderAci, opened.SenderDevice, content, held));
            }

            await batchStores.FlushAsync(cancellationToken).ConfigureAwait(false);

            // The items go in together, after every decryption of the batch.
            var inserted = await tx.Inbox.InsertManyAsync(batch.Items.Select(i => i.Item).ToList(), cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < inserted.Count; k++)
            {
                outcomes[batch.Items[k].Index] = inserted[k].Inserted ? EnvelopeOutcome.Stored : EnvelopeOutcome.Duplicate;
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (index, sender, device, content, held) in handled)
        {
            // A repeat that only the insert recognised was not news: no hooks for it, as one by one.
            if (outcomes[index] is not (EnvelopeOutcome.Duplicate or EnvelopeOutcome.Dropped))
            {
                await AfterCommitAsync(sender, device, content, held).ConfigureAwait(false);
            }
        }

        return outcomes;
    }

    /// <summary>The hooks that act on committed content: held attachments, contact sync and the like.</summary>
    private async Task AfterCommitAsync(Guid sender, uint device, Content content, bool held)
    {
        if (held)
        {
            OnHeld?.Invoke();
        }

        if (OnContent is { } handler)
        {
            await handler(sender, device, content).ConfigureAwait(false);
        }
    }
}
