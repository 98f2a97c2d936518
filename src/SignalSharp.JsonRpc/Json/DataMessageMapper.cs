using SignalSharp.Account.Api;

namespace SignalSharp.JsonRpc.Json;

/// <summary>Shapes a received message as signal-cli's JsonDataMessage, with signal-cli's member names.</summary>
internal static class DataMessageMapper
{
    public static JsonDataMessage ToData(ReceivedMessage message, Func<ReceivedAttachment, string?>? attachmentId = null)
    {
        var details = message.Details;
        return new JsonDataMessage(
            message.Timestamp,
            message.Body,
            details.ExpiresInSeconds,
            message.Reaction is { } reaction ? ToReaction(reaction) : null,
            message.Attachments.Count == 0 ? null : [.. message.Attachments.Select(a => new JsonAttachment(a.ContentType, a.FileName, attachmentId?.Invoke(a), a.Size))],
            message.GroupId is { } group ? new JsonGroupInfo(group.ToBase64(), "DELIVER") : null)
        {
            IsExpirationUpdate = details.ExpirationUpdate ? true : null,
            ViewOnce = details.ViewOnce ? true : null,
            Quote = details.Quote is { } quote ? ToQuote(quote) : null,
            Mentions = Mentions(details.Mentions),
            Previews = details.Previews.Count == 0 ? null : [.. details.Previews.Select(p => new JsonPreview(p.Url, p.Title, p.Description))],
            Sticker = details.Sticker is { } sticker ? new JsonSticker(sticker.PackId, sticker.StickerId) : null,
            RemoteDelete = details.RemoteDeleteTimestamp is { } deleted ? new JsonRemoteDelete(deleted) : null,
            TextStyles = Styles(details.TextStyles),
            PollCreate = details.Poll is { Options: { } options } create ? new JsonPollCreate(create.Question, create.AllowMultiple, options) : null,
            PollVote = details.Poll is { OptionIndexes: { } indexes, TargetTimestamp: { } voted } vote
                ? new JsonPollVote(vote.TargetAuthorServiceId, voted, indexes, vote.VoteCount) : null,
            PollTerminate = details.Poll is { Terminate: true, TargetTimestamp: { } closed } ? new JsonPollTerminate(closed) : null,
            Payment = details.PaymentNote is { } note ? new JsonPayment(note) : null,
            Contacts = details.Contacts.Count == 0 ? null : [.. details.Contacts.Select(ToContact)],
        };
    }

    private static JsonSharedContact ToContact(ReceivedContactCard card) => new(
        new JsonContactName(card.Name),
        card.PhoneNumbers.Count == 0 ? null : [.. card.PhoneNumbers.Select(n => new JsonContactValue(n))],
        card.Emails.Count == 0 ? null : [.. card.Emails.Select(e => new JsonContactValue(e))],
        card.Organization);

    /// <summary>A name as (number, uuid): the account names people by number when it knows it, else by service id.</summary>
    public static (string? Number, string? Uuid) Split(string? name, string? serviceId)
    {
        string? number = null;
        string? uuid = null;
        if (name is not null && RecipientAddress.TryParse(name, out var address))
        {
            if (address.Value.Kind == RecipientKind.PhoneNumber)
            {
                number = address.Value.Value;
            }
            else
            {
                uuid = address.Value.Value;
            }
        }

        if (serviceId is not null && RecipientAddress.TryParse(serviceId, out var service) && service.Value.Kind == RecipientKind.Aci)
        {
            uuid = service.Value.Value;
        }

        return (number, uuid);
    }

    private static JsonReaction ToReaction(ReceivedReaction reaction)
    {
        var (number, uuid) = Split(reaction.TargetAuthor, null);
        return new JsonReaction(reaction.Emoji, number ?? uuid, number, uuid, reaction.TargetTimestamp, reaction.Remove);
    }

    private static JsonQuote ToQuote(ReceivedQuote quote)
    {
        var (number, uuid) = Split(quote.Author, quote.AuthorServiceId);
        return new JsonQuote(quote.Id, number ?? uuid, number, uuid, quote.Text, Mentions(quote.Mentions),
            [.. quote.Attachments.Select(a => new JsonQuotedAttachment(a.ContentType, a.FileName))], Styles(quote.TextStyles));
    }

    private static List<JsonMention>? Mentions(IReadOnlyList<ReceivedMention> mentions) => mentions.Count == 0
        ? null
        : [.. mentions.Select(m => new JsonMention(m.Number ?? m.ServiceId, m.Number, m.ServiceId, m.Start, m.Length))];

    private static List<JsonTextStyle>? Styles(IReadOnlyList<ReceivedTextStyle> styles) => styles.Count == 0
        ? null
        : [.. styles.Select(s => new JsonTextStyle(s.Style.ToString().ToUpperInvariant(), s.Start, s.Length))];
}
