using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// Reads the rich fields of a stored message from its kept Content bytes: the data message it carries (directly,
/// as an edit, or in a Sent transcript) and everything beyond text and attachments. People are named by number
/// when <c>numbers</c> knows them, else by service id.
/// </summary>
internal static class MessageDetailsReader
{
    private const uint ExpirationTimerUpdateFlag = 2;

    /// <summary>The data message the content carries and, for an edit, the timestamp of the message it replaces.</summary>
    public static (DataMessage? Data, long? EditTarget) MessageOf(Content content)
    {
        if (content.DataMessage is { } data)
        {
            return (data, null);
        }

        if (content.EditMessage is { DataMessage: { } edited } edit)
        {
            return (edited, (long)edit.TargetSentTimestamp);
        }

        if (content.SyncMessage?.Sent is { } sent)
        {
            return sent.EditMessage is { DataMessage: { } sentEdit } sentEditMessage
                ? (sentEdit, (long)sentEditMessage.TargetSentTimestamp)
                : (sent.Message, null);
        }

        return (null, null);
    }

    /// <summary>Every ACI the content names besides its sender, so their numbers can be looked up at once.</summary>
    public static IEnumerable<Guid> AcisOf(Content content)
    {
        var (data, _) = MessageOf(content);
        var acis = new List<Guid>();
        if (data is not null)
        {
            acis.AddRange(BodyRanges.MentionedAcis(data.BodyRanges));
            if (data.Quote is { } quote)
            {
                acis.AddRange(BodyRanges.MentionedAcis(quote.BodyRanges));
                if (Aci(quote.AuthorAciBinary, quote.AuthorAci) is { } author)
                {
                    acis.Add(author);
                }
            }
        }

        if (content.SyncMessage is { } sync)
        {
            acis.AddRange(sync.Read.Concat(sync.Viewed).Select(r => Aci(r.SenderAciBinary, r.SenderAci)).Where(a => a is not null).Select(a => a!.Value));
            if (sync.Sent is { } sent && Aci(sent.DestinationServiceIdBinary, sent.DestinationServiceId) is { } destination)
            {
                acis.Add(destination);
            }
        }

        return acis.Distinct();
    }

    public static MessageDetails Details(DataMessage data, long? editTarget, IReadOnlyDictionary<Guid, string> numbers)
    {
        var body = data.HasBody ? data.Body : null;
        return new MessageDetails
        {
            ExpiresInSeconds = (int)Math.Min(data.ExpireTimer, int.MaxValue),
            ExpirationUpdate = (data.Flags & ExpirationTimerUpdateFlag) != 0,
            ViewOnce = data.IsViewOnce,
            Quote = data.Quote is { } quote ? QuoteOf(quote, numbers) : null,
            Mentions = BodyRanges.Mentions(data.BodyRanges, body, numbers),
            TextStyles = BodyRanges.Styles(data.BodyRanges, body),
            EditTargetTimestamp = editTarget,
            RemoteDeleteTimestamp = data.Delete is { } delete ? (long)delete.TargetSentTimestamp : null,
            Sticker = data.Sticker is { } sticker
                ? new ReceivedSticker(Convert.ToHexStringLower(sticker.PackId.Span), Convert.ToHexStringLower(sticker.PackKey.Span), (int)sticker.StickerId, sticker.HasEmoji ? sticker.Emoji : null)
                : null,
            Previews = [.. data.Preview.Where(p => p.HasUrl).Select(p => new ReceivedPreview(p.Url, p.HasTitle ? p.Title : null, p.HasDescription ? p.Description : null, p.HasDate ? (long)p.Date : null))],
            Contacts = [.. data.Contact.Select(ContactOf)],
            Poll = PollOf(data),
            PaymentNote = data.Payment?.Notification is { } notification ? notification.Note : null,
        };
    }

    /// <summary>The reaction a Sent transcript carries (a received reaction is kept in its own columns).</summary>
    public static ReceivedReaction? ReactionOf(DataMessage data, IReadOnlyDictionary<Guid, string> numbers, string ownNumber, Guid ownAci)
    {
        if (data.Reaction is not { } reaction)
        {
            return null;
        }

        var author = Aci(reaction.TargetAuthorAciBinary, reaction.TargetAuthorAci);
        var name = author is not { } a ? "" : a == ownAci ? ownNumber : numbers.GetValueOrDefault(a) ?? a.ToString();
        return new ReceivedReaction(reaction.Emoji, name, (long)reaction.TargetSentTimestamp, reaction.Remove);
    }

    public static Guid? Aci(Google.Protobuf.ByteString binary, string? text) =>
        binary.Length == 16 ? new Guid(binary.Span, bigEndian: true) : Guid.TryParse(text, out var parsed) ? parsed : null;

    private static ReceivedQuote QuoteOf(DataMessage.Types.Quote quote, IReadOnlyDictionary<Guid, string> numbers)
    {
        var author = Aci(quote.AuthorAciBinary, quote.AuthorAci);
        var text = quote.HasText ? quote.Text : null;
        return new ReceivedQuote(
            (long)quote.Id,
            author is { } a ? numbers.GetValueOrDefault(a) ?? a.ToString() : null,
            author?.ToString(),
            text,
            BodyRanges.Mentions(quote.BodyRanges, text, numbers),
            BodyRanges.Styles(quote.BodyRanges, text),
            [.. quote.Attachments.Select(q => new QuotedAttachment(q.HasContentType ? q.ContentType : null, q.HasFileName ? q.FileName : null))]);
    }

    private static ReceivedContactCard ContactOf(DataMessage.Types.Contact contact)
    {
        var name = contact.Name is { } n
            ? string.Join(' ', new[] { n.GivenName, n.FamilyName }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } full ? full : n.Nickname
            : null;
        return new ReceivedContactCard(
            string.IsNullOrEmpty(name) ? null : name,
            contact.HasOrganization ? contact.Organization : null,
            [.. contact.Number.Where(p => p.HasValue).Select(p => p.Value)],
            [.. contact.Email.Where(e => e.HasValue).Select(e => e.Value)]);
    }

    private static ReceivedPoll? PollOf(DataMessage data)
    {
        if (data.PollCreate is { } create)
        {
            return new ReceivedPoll(Question: create.HasQuestion ? create.Question : null, Options: [.. create.Options], AllowMultiple: create.AllowMultiple);
        }

        if (data.PollVote is { } vote)
        {
            return new ReceivedPoll(
                TargetTimestamp: (long)vote.TargetSentTimestamp,
                TargetAuthorServiceId: Aci(vote.TargetAuthorAciBinary, null)?.ToString(),
                OptionIndexes: [.. vote.OptionIndexes.Select(i => (int)i)],
                VoteCount: vote.HasVoteCount ? (int)vote.VoteCount : null);
        }

        return data.PollTerminate is { } terminate ? new ReceivedPoll(TargetTimestamp: (long)terminate.TargetSentTimestamp, Terminate: true) : null;
    }
}
