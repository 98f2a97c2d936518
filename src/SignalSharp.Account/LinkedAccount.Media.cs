using Google.Protobuf;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Receiving;
using SignalSharp.Account.Api;
using SignalSharp.Service.Transport;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account;

/// <summary>Reactions out, and the received side of attachments and reactions as the daemon hands them out.</summary>
public sealed partial class LinkedAccount
{
    private AttachmentDownloader? downloader;

    private ChatCredentials Credentials => new(Record.Aci.ToString(), Record.DeviceId, Record.Password);

    /// <summary>Received messages whose attachments were fetched (or failed) and moved to the inbox since the start.</summary>
    internal int AttachmentMessagesCompleted => downloader?.Completed ?? 0;

    public async Task<SendResult> SendReactionAsync(MessageTarget target, OutgoingReaction reaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reaction);
        if (target is not RecipientTarget { Recipient: var address })
        {
            return await SendGroupReactionAsync((GroupTarget)target, reaction, cancellationToken).ConfigureAwait(false);
        }

        var recipient = await ResolveAsync(address, cancellationToken).ConfigureAwait(false);
        var author = await ResolveAuthorAsync(reaction.TargetAuthor, cancellationToken).ConfigureAwait(false);
        var timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var data = new DataMessage { Timestamp = timestamp, Reaction = ToReaction(reaction, author) };
        await SendDataMessageAsync(recipient, address, data, cancellationToken).ConfigureAwait(false);
        return new SendResult((long)timestamp);
    }

    /// <summary>The reaction protobuf (shared with group sends): the author by ACI, as text and as 16 bytes.</summary>
    internal static DataMessage.Types.Reaction ToReaction(OutgoingReaction reaction, Guid author) => new()
    {
        Emoji = reaction.Emoji,
        Remove = reaction.Remove,
        TargetAuthorAci = author.ToString(),
        TargetAuthorAciBinary = ByteString.CopyFrom(author.ToByteArray(bigEndian: true)),
        TargetSentTimestamp = (ulong)reaction.TargetTimestamp,
    };

    /// <summary>The author of the message reacted to: this account itself, or a recipient it knows (else INVALID_NUMBER).</summary>
    internal async Task<Guid> ResolveAuthorAsync(RecipientAddress author, CancellationToken cancellationToken)
    {
        if (author.Kind == RecipientKind.PhoneNumber && author.Value == Record.Number)
        {
            return Record.Aci;
        }

        return await ResolveAsync(author, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts fetching attachments of held messages (also those left by an earlier run).</summary>
    private void StartAttachmentDownloads()
    {
        downloader ??= new AttachmentDownloader(db, profile, logger);
        downloader.Start();
    }

    private void WakeAttachmentDownloads() => downloader?.Wake();

    private async Task StopAttachmentDownloadsAsync()
    {
        if (downloader is not null)
        {
            await downloader.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Attachment bytes one receive_messages answer carries at most (beyond its first item): the answer is built in memory.</summary>
    internal long MaxAttachmentBytesPerReceive { get; set; } = 128L * 1024 * 1024;

    /// <summary>
    /// The taken items as the daemon shows them. Once the attachment bytes would pass
    /// <see cref="MaxAttachmentBytesPerReceive"/>, the rest go back to the inbox for the next call, so a backlog of
    /// big attachments is handed out over several answers instead of one that does not fit in memory.
    /// </summary>
    private async Task<ReceivedBatch> ToReceivedBatchAsync(IReadOnlyList<InboxItem> leased, bool ignoreAttachments)
    {
        var items = new List<ReceivedItem>(leased.Count);
        var handed = new List<long>(leased.Count);
        long bytes = 0;
        try
        {
            for (var i = 0; i < leased.Count; i++)
            {
                var size = ignoreAttachments ? 0 : leased[i].Attachments.Sum(a => a.Size ?? 0);
                if (items.Count > 0 && bytes + size > MaxAttachmentBytesPerReceive)
                {
                    // The rest waits for the next answer, in order, so that one answer stays a sane size.
                    await db.Inbox.ReleaseLeasesAsync(leased.Skip(i).Select(item => item.Id).ToList(), CancellationToken.None).ConfigureAwait(false);
                    break;
                }

                bytes += size;
                items.Add(await ToReceivedAsync(await WithKnownNumberAsync(leased[i]).ConfigureAwait(false), ignoreAttachments, CancellationToken.None).ConfigureAwait(false));
                handed.Add(leased[i].Id);
            }
        }
        catch
        {
            await db.Inbox.ReleaseLeasesAsync(leased.Select(item => item.Id).ToList(), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new ReceivedBatch(items,
            ct => db.Inbox.ConfirmAsync(handed, ct),
            () => db.Inbox.ReleaseLeasesAsync(handed, CancellationToken.None));
    }

    /// <summary>The item as the daemon shows it: attachment bytes read from their files (unless ignored), a reaction's author by number when known.</summary>
    private async Task<ReceivedItem> ToReceivedAsync(InboxItem item, bool ignoreAttachments, CancellationToken cancellationToken)
    {
        if (item.Reaction is { TargetAuthorE164: null, TargetAuthorAci: { } authorAci } reaction)
        {
            var number = authorAci == Record.Aci
                ? Record.Number
                : (await db.Recipients.GetByAciAsync(authorAci, cancellationToken).ConfigureAwait(false))?.E164;
            if (number is not null)
            {
                item = item with { Reaction = reaction with { TargetAuthorE164 = number } };
            }
        }

        var received = ToReceivedItem(item);
        if (received is not ReceivedMessage message || item.Attachments.Count == 0)
        {
            return received;
        }

        var attachments = new List<ReceivedAttachment>(item.Attachments.Count);
        foreach (var attachment in item.Attachments)
        {
            ReadOnlyMemory<byte>? data = null;
            if (!ignoreAttachments && attachment.LocalPath is { } path && File.Exists(path))
            {
                data = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            }

            attachments.Add(new ReceivedAttachment(data, attachment.FileName, attachment.ContentType, attachment.Size));
        }

        return message with { Attachments = attachments };
    }
}
