using System.Text.Json;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Json;

/// <summary>
/// The receive_messages fields beyond the seed's message shape: a message's details (quote, mentions, styles, edit,
/// delete, sticker, previews, contacts, poll, timer) and the items that are not messages (typing, receipts, read
/// syncs), each of which names its kind in "type". Fields a message lacks are left out, except expiresInSeconds.
/// </summary>
internal static class ItemFieldsWriter
{
    public static void WriteDetails(Utf8JsonWriter json, MessageDetails details)
    {
        json.WriteNumber("expiresInSeconds"u8, details.ExpiresInSeconds);
        if (details.ViewOnce)
        {
            json.WriteBoolean("viewOnce"u8, true);
        }

        if (details.EditTargetTimestamp is { } edited)
        {
            json.WriteNumber("editTargetTimestamp"u8, edited);
        }

        if (details.RemoteDeleteTimestamp is { } deleted)
        {
            json.WriteStartObject("remoteDelete"u8);
            json.WriteNumber("timestamp"u8, deleted);
            json.WriteEndObject();
        }

        if (details.Quote is { } quote)
        {
            WriteQuote(json, quote);
        }

        WriteMentions(json, details.Mentions);
        WriteStyles(json, details.TextStyles);
        if (details.Sticker is { } sticker)
        {
            json.WriteStartObject("sticker"u8);
            json.WriteString("packId"u8, sticker.PackId);
            json.WriteString("packKey"u8, sticker.PackKey);
            json.WriteNumber("stickerId"u8, sticker.StickerId);
            WriteOptional(json, "emoji"u8, sticker.Emoji);
            json.WriteEndObject();
        }

        WritePreviews(json, details.Previews);
        WriteContacts(json, details.Contacts);
        if (details.Poll is { } poll)
        {
            WritePoll(json, poll);
        }

        if (details.Story is { } story)
        {
            StoryFieldsWriter.Write(json, story);
        }

        if (details.PaymentNote is { } note)
        {
            json.WriteStartObject("payment"u8);
            json.WriteString("note"u8, note);
            json.WriteEndObject();
        }
    }

    public static void WriteTyping(Utf8JsonWriter json, ReceivedTyping typing)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "typing"u8);
        WriteSender(json, typing.Timestamp, typing.Sender, typing.SenderServiceId);
        json.WriteString("action"u8, typing.Started ? "STARTED"u8 : "STOPPED"u8);
        if (typing.GroupId is { } groupId)
        {
            json.WriteString("groupId"u8, groupId.ToBase64());
        }

        json.WriteEndObject();
    }

    public static void WriteReceipt(Utf8JsonWriter json, ReceivedReceipt receipt)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "receipt"u8);
        WriteSender(json, receipt.Timestamp, receipt.Sender, receipt.SenderServiceId);
        json.WriteString("receiptType"u8, receipt.Kind switch
        {
            ReceiptKind.Read => "READ"u8,
            ReceiptKind.Viewed => "VIEWED"u8,
            _ => "DELIVERY"u8,
        });
        json.WriteStartArray("timestamps"u8);
        foreach (var timestamp in receipt.MessageTimestamps)
        {
            json.WriteNumberValue(timestamp);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteReadSync(Utf8JsonWriter json, ReceivedReadSync sync)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, sync.Viewed ? "viewedSync"u8 : "readSync"u8);
        json.WriteNumber("timestamp"u8, sync.Timestamp);
        json.WriteStartArray("messages"u8);
        foreach (var message in sync.Messages)
        {
            json.WriteStartObject();
            WriteSender(json, message.Timestamp, message.Sender, message.SenderServiceId);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSender(Utf8JsonWriter json, long timestamp, string sender, string? serviceId)
    {
        json.WriteNumber("timestamp"u8, timestamp);
        json.WriteString("sender"u8, sender);
        WriteOptional(json, "senderServiceId"u8, serviceId);
    }

    private static void WriteQuote(Utf8JsonWriter json, ReceivedQuote quote)
    {
        json.WriteStartObject("quote"u8);
        json.WriteNumber("id"u8, quote.Id);
        WriteOptional(json, "author"u8, quote.Author);
        WriteOptional(json, "authorServiceId"u8, quote.AuthorServiceId);
        WriteOptional(json, "text"u8, quote.Text);
        WriteMentions(json, quote.Mentions);
        WriteStyles(json, quote.TextStyles);
        if (quote.Attachments.Count > 0)
        {
            json.WriteStartArray("attachments"u8);
            foreach (var attachment in quote.Attachments)
            {
                json.WriteStartObject();
                WriteOptional(json, "contentType"u8, attachment.ContentType);
                WriteOptional(json, "filename"u8, attachment.FileName);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteMentions(Utf8JsonWriter json, IReadOnlyList<ReceivedMention> mentions)
    {
        if (mentions.Count == 0)
        {
            return;
        }

        json.WriteStartArray("mentions"u8);
        foreach (var mention in mentions)
        {
            json.WriteStartObject();
            json.WriteNumber("start"u8, mention.Start);
            json.WriteNumber("length"u8, mention.Length);
            json.WriteString("serviceId"u8, mention.ServiceId);
            WriteOptional(json, "number"u8, mention.Number);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteStyles(Utf8JsonWriter json, IReadOnlyList<ReceivedTextStyle> styles)
    {
        if (styles.Count == 0)
        {
            return;
        }

        json.WriteStartArray("textStyles"u8);
        foreach (var style in styles)
        {
            json.WriteStartObject();
            json.WriteNumber("start"u8, style.Start);
            json.WriteNumber("length"u8, style.Length);
            json.WriteString("style"u8, StyleName(style.Style));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>signal-cli's names for the styles (BodyRange.Style's).</summary>
    public static string StyleName(TextStyle style) => style switch
    {
        TextStyle.Bold => "BOLD",
        TextStyle.Italic => "ITALIC",
        TextStyle.Spoiler => "SPOILER",
        TextStyle.Strikethrough => "STRIKETHROUGH",
        _ => "MONOSPACE",
    };

    private static void WritePreviews(Utf8JsonWriter json, IReadOnlyList<ReceivedPreview> previews)
    {
        if (previews.Count == 0)
        {
            return;
        }

        json.WriteStartArray("previews"u8);
        foreach (var preview in previews)
        {
            json.WriteStartObject();
            json.WriteString("url"u8, preview.Url);
            WriteOptional(json, "title"u8, preview.Title);
            WriteOptional(json, "description"u8, preview.Description);
            if (preview.Date is { } date)
            {
                json.WriteNumber("date"u8, date);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteContacts(Utf8JsonWriter json, IReadOnlyList<ReceivedContactCard> contacts)
    {
        if (contacts.Count == 0)
        {
            return;
        }

        json.WriteStartArray("contacts"u8);
        foreach (var contact in contacts)
        {
            json.WriteStartObject();
            WriteOptional(json, "name"u8, contact.Name);
            WriteOptional(json, "organization"u8, contact.Organization);
            WriteStrings(json, "phoneNumbers"u8, contact.PhoneNumbers);
            WriteStrings(json, "emails"u8, contact.Emails);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WritePoll(Utf8JsonWriter json, ReceivedPoll poll)
    {
        json.WriteStartObject("poll"u8);
        WriteOptional(json, "question"u8, poll.Question);
        if (poll.Options is { } options)
        {
            WriteStrings(json, "options"u8, options);
            json.WriteBoolean("allowMultiple"u8, poll.AllowMultiple);
        }

        if (poll.TargetTimestamp is { } target)
        {
            json.WriteNumber("targetTimestamp"u8, target);
        }

        WriteOptional(json, "targetAuthorServiceId"u8, poll.TargetAuthorServiceId);
        if (poll.OptionIndexes is { } indexes)
        {
            json.WriteStartArray("optionIndexes"u8);
            foreach (var index in indexes)
            {
                json.WriteNumberValue(index);
            }

            json.WriteEndArray();
        }

        if (poll.VoteCount is { } count)
        {
            json.WriteNumber("voteCount"u8, count);
        }

        if (poll.Terminate)
        {
            json.WriteBoolean("terminate"u8, true);
        }

        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, ReadOnlySpan<byte> name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
