using Google.Protobuf;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Storage;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;

namespace SignalSharp.Account.Sending;

/// <summary>
/// The DataMessage an outgoing message or reaction becomes, stamped now (the stamp is the message's id). Attachments
/// are uploaded here, once: every recipient gets the same pointers (the key travels inside the encrypted message), also
/// when the same message goes to several recipients one by one (<see cref="RecentUploads"/>).
/// </summary>
internal sealed class DataMessageBuilder(ServerProfile profile, ChatApi api, AccountRecord record, RecipientResolver recipients, Stickers.AccountStickers stickers)
{
    private readonly RecentUploads uploads = new(TimeProvider.System);

    private ChatCredentials Credentials => new(record.Aci.ToString(), record.DeviceId, record.Password);

    /// <summary>The text and the uploaded attachments' pointers.</summary>
    public async Task<DataMessage> MessageAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var pointers = await uploads.PointersAsync(message.Attachments,
            (missing, ct) => AttachmentUploader.UploadAsync(profile, api, Credentials, missing, ct), cancellationToken).ConfigureAwait(false);
        var data = new DataMessage { Timestamp = message.Timestamp is { } given ? (ulong)given : Now() };
        if (message.Text is { } text)
        {
            data.Body = text;
        }

        data.Attachments.Add(pointers);
        if (message.ViewOnce)
        {
            data.IsViewOnce = true;
        }

        if (message.Quote is { } quote)
        {
            var author = await recipients.ResolveAuthorAsync(quote.Author, cancellationToken).ConfigureAwait(false);
            data.Quote = new DataMessage.Types.Quote
            {
                Id = (ulong)quote.Timestamp,
                AuthorAci = author.ToString(),
                AuthorAciBinary = ByteString.CopyFrom(author.ToByteArray(bigEndian: true)),
            };
            if (quote.Text is { } quotedText)
            {
                data.Quote.Text = quotedText;
            }
        }

        foreach (var mention in message.Mentions)
        {
            var mentioned = await recipients.ResolveAuthorAsync(mention.Recipient, cancellationToken).ConfigureAwait(false);
            data.BodyRanges.Add(new BodyRange
            {
                Start = (uint)mention.Start,
                Length = (uint)mention.Length,
                MentionAciBinary = ByteString.CopyFrom(mentioned.ToByteArray(bigEndian: true)),
            });
        }

        data.BodyRanges.Add(message.TextStyles.Select(s => new BodyRange { Start = (uint)s.Start, Length = (uint)s.Length, Style = (uint)s.Style }));
        if (message.Preview is { } preview)
        {
            var link = new DataMessage.Types.Preview { Url = preview.Url };
            if (preview.Title is { } title)
            {
                link.Title = title;
            }

            if (preview.Description is { } description)
            {
                link.Description = description;
            }

            if (preview.Image is { } image)
            {
                var uploaded = await uploads.PointersAsync([image],
                    (missing, ct) => AttachmentUploader.UploadAsync(profile, api, Credentials, missing, ct), cancellationToken).ConfigureAwait(false);
                link.Image = uploaded[0];
            }

            data.Preview.Add(link);
        }

        if (message.Sticker is { } sticker)
        {
            var (proto, image) = await stickers.ForSendingAsync(sticker, cancellationToken).ConfigureAwait(false);
            var uploaded = await uploads.PointersAsync([image],
                (missing, ct) => AttachmentUploader.UploadAsync(profile, api, Credentials, missing, ct), cancellationToken).ConfigureAwait(false);
            proto.Data = uploaded[0];
            data.Sticker = proto;
        }

        if (message.Poll is { } poll)
        {
            await PollMessages.AddAsync(data, poll, recipients, cancellationToken).ConfigureAwait(false);
        }

        return data;
    }


    /// <summary>A reaction, its author named by ACI.</summary>
    public async Task<DataMessage> ReactionAsync(OutgoingReaction reaction, CancellationToken cancellationToken)
    {
        var author = await recipients.ResolveAuthorAsync(reaction.TargetAuthor, cancellationToken).ConfigureAwait(false);
        return new DataMessage { Timestamp = reaction.Timestamp is { } given ? (ulong)given : Now(), Reaction = ToReaction(reaction, author) };
    }

    /// <summary>The reaction protobuf: the author by ACI, as text and as 16 bytes.</summary>
    internal static DataMessage.Types.Reaction ToReaction(OutgoingReaction reaction, Guid author) => new()
    {
        Emoji = reaction.Emoji,
        Remove = reaction.Remove,
        TargetAuthorAci = author.ToString(),
        TargetAuthorAciBinary = ByteString.CopyFrom(author.ToByteArray(bigEndian: true)),
        TargetSentTimestamp = (ulong)reaction.TargetTimestamp,
    };

    private static ulong Now() => (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
