using SignalSharp.Account.Api;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// Hands out stored inbox items under a lease: confirmed when the caller's answer went out, released for the next
/// taker otherwise, so a caller that is gone loses nothing. Once the attachment bytes of one answer would pass
/// <paramref name="maxAttachmentBytes"/>, the rest go back to the inbox for the next call, so a backlog of big
/// attachments is handed out over several answers instead of one that does not fit in memory. A view-once message
/// is removed, with its files, as soon as its handing out is confirmed.
/// </summary>
internal sealed class InboxReader(AccountDatabase db, InboxItemMapper mapper, InboxRetention retention, long maxAttachmentBytes)
{
    private const int MaxItemsPerReceive = 100;

    public async Task<ReceivedBatch> ReceiveAsync(ReceiveRequest request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var leased = await db.Inbox.LeaseAsync(MaxItemsPerReceive, CancellationToken.None).ConfigureAwait(false);
            if (leased.Count > 0)
            {
                var ids = leased.Select(i => i.Id).ToList();
                if (cancellationToken.IsCancellationRequested)
                {
                    // The caller is gone: nothing may be lost, so the items go back for the next taker.
                    await db.Inbox.ReleaseLeasesAsync(ids, CancellationToken.None).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                return await ToBatchAsync(leased, request.IgnoreAttachments).ConfigureAwait(false);
            }

            try
            {
                await db.Inbox.WaitForItemsAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ReceivedBatch.Empty;
            }
        }
    }

    private async Task<ReceivedBatch> ToBatchAsync(IReadOnlyList<InboxItem> leased, bool ignoreAttachments)
    {
        var items = new List<ReceivedItem>(leased.Count);
        var handed = new List<long>(leased.Count);
        long bytes = 0;
        try
        {
            for (var i = 0; i < leased.Count; i++)
            {
                var size = ignoreAttachments ? 0 : leased[i].Attachments.Sum(a => a.Size ?? 0);
                if (items.Count > 0 && bytes + size > maxAttachmentBytes)
                {
                    // The rest waits for the next answer, in order, so that one answer stays a sane size.
                    await db.Inbox.ReleaseLeasesAsync(leased.Skip(i).Select(item => item.Id).ToList(), CancellationToken.None).ConfigureAwait(false);
                    break;
                }

                bytes += size;
                items.Add(await mapper.ToReceivedAsync(leased[i], ignoreAttachments, CancellationToken.None).ConfigureAwait(false));
                handed.Add(leased[i].Id);
            }
        }
        catch
        {
            await db.Inbox.ReleaseLeasesAsync(leased.Select(item => item.Id).ToList(), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var viewOnce = handed.Where((_, i) => items[i] is ReceivedMessage { Details.ViewOnce: true }).ToList();
        return new ReceivedBatch(items,
            async ct =>
            {
                await db.Inbox.ConfirmAsync(handed, ct).ConfigureAwait(false);
                await retention.RemoveViewOnceAsync(viewOnce, ct).ConfigureAwait(false);
            },
            () => db.Inbox.ReleaseLeasesAsync(handed, CancellationToken.None));
    }
}
