using System.Text.Json;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Commands;

/// <summary>
/// The extensions of send_message's dataMessage, checked after its text and attachments: <c>quote</c>
/// <c>{timestamp, author, text?}</c>, <c>mentions</c> <c>[{start, length, recipient}]</c>, <c>textStyles</c>
/// <c>[{start, length, style}]</c> (ranges in UTF-16 code units, inside the text), <c>editTimestamp</c> and
/// <c>viewOnce</c>. A name that is not a number or service id is status 2; any other fault -1 naming the field.
/// </summary>
internal static class MessageExtrasParser
{
    public static bool TryParse(JsonElement data, OutgoingMessage message, out OutgoingMessage extended, out CommandFault fault)
    {
        extended = message;
        fault = default;
        var textLength = message.Text?.Length ?? 0;
        if (CommandParser.TryGetPresent(data, "quote"u8, out var quoteElement))
        {
            if (!TryParseQuote(quoteElement, out var quote, out fault))
            {
                return false;
            }

            extended = extended with { Quote = quote };
        }

        if (CommandParser.TryGetPresent(data, "mentions"u8, out var mentionsElement))
        {
            var mentions = new List<OutgoingMention>();
            if (!TryParseRanges(mentionsElement, "mentions", textLength, out fault, (range, start, length) =>
                {
                    if (!CommandParser.TryGetPresent(range, "recipient"u8, out var who) || who.ValueKind != JsonValueKind.String
                        || !RecipientAddress.TryParse(who.GetString(), out var address))
                    {
                        return new CommandFault(StatusCode.InvalidNumber, "a mention's \"recipient\" is not a phone number or service id");
                    }

                    mentions.Add(new OutgoingMention(start, length, address.Value));
                    return null;
                }))
            {
                return false;
            }

            extended = extended with { Mentions = mentions };
        }

        if (CommandParser.TryGetPresent(data, "textStyles"u8, out var stylesElement))
        {
            var styles = new List<OutgoingTextStyle>();
            if (!TryParseRanges(stylesElement, "textStyles", textLength, out fault, (range, start, length) =>
                {
                    if (!CommandParser.TryGetPresent(range, "style"u8, out var style) || style.ValueKind != JsonValueKind.String
                        || !Enum.TryParse<TextStyle>(style.GetString(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)
                        || int.TryParse(style.GetString(), out _))
                    {
                        return new CommandFault(StatusCode.Unknown, "a text style's \"style\" must be BOLD, ITALIC, SPOILER, STRIKETHROUGH or MONOSPACE");
                    }

                    styles.Add(new OutgoingTextStyle(start, length, parsed));
                    return null;
                }))
            {
                return false;
            }

            extended = extended with { TextStyles = styles };
        }

        if (CommandParser.TryGetPresent(data, "editTimestamp"u8, out var edit))
        {
            if (!TryGetTimestamp(edit, out var target))
            {
                fault = new CommandFault(StatusCode.Unknown, "\"dataMessage.editTimestamp\" must be a positive integer");
                return false;
            }

            extended = extended with { EditTargetTimestamp = target };
        }

        if (CommandParser.TryGetPresent(data, "viewOnce"u8, out var viewOnce))
        {
            if (viewOnce.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                fault = new CommandFault(StatusCode.Unknown, "\"dataMessage.viewOnce\" must be a boolean");
                return false;
            }

            extended = extended with { ViewOnce = viewOnce.GetBoolean() };
        }

        return true;
    }

    private static bool TryParseQuote(JsonElement element, out OutgoingQuote quote, out CommandFault fault)
    {
        quote = null!;
        fault = default;
        if (element.ValueKind != JsonValueKind.Object || !CommandParser.TryGetPresent(element, "timestamp"u8, out var timestamp) || !TryGetTimestamp(timestamp, out var id))
        {
            fault = new CommandFault(StatusCode.Unknown, "\"dataMessage.quote\" must be an object with \"timestamp\" (a positive integer) and \"author\"");
            return false;
        }

        if (!CommandParser.TryGetPresent(element, "author"u8, out var author) || author.ValueKind != JsonValueKind.String
            || !RecipientAddress.TryParse(author.GetString(), out var address))
        {
            fault = new CommandFault(StatusCode.InvalidNumber, "the quote's \"author\" is not a phone number or service id");
            return false;
        }

        string? text = null;
        if (CommandParser.TryGetPresent(element, "text"u8, out var textElement))
        {
            if (textElement.ValueKind != JsonValueKind.String)
            {
                fault = new CommandFault(StatusCode.Unknown, "the quote's \"text\" must be a string");
                return false;
            }

            text = textElement.GetString();
        }

        quote = new OutgoingQuote(id, address.Value, text);
        return true;
    }

    private static bool TryParseRanges(JsonElement element, string field, int textLength, out CommandFault fault, Func<JsonElement, int, int, CommandFault?> each)
    {
        fault = default;
        if (element.ValueKind != JsonValueKind.Array)
        {
            fault = new CommandFault(StatusCode.Unknown, $"\"dataMessage.{field}\" must be an array");
            return false;
        }

        foreach (var range in element.EnumerateArray())
        {
            if (range.ValueKind != JsonValueKind.Object
                || !CommandParser.TryGetPresent(range, "start"u8, out var startElement) || !startElement.TryGetInt32(out var start) || start < 0
                || !CommandParser.TryGetPresent(range, "length"u8, out var lengthElement) || !lengthElement.TryGetInt32(out var length) || length < 0
                || (long)start + length > textLength)
            {
                fault = new CommandFault(StatusCode.Unknown,
                    $"each of \"dataMessage.{field}\" needs \"start\" and \"length\" (UTF-16 code units) inside the message text");
                return false;
            }

            if (each(range, start, length) is { } refused)
            {
                fault = refused;
                return false;
            }
        }

        return true;
    }

    private static bool TryGetTimestamp(JsonElement element, out long timestamp)
    {
        timestamp = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out timestamp) && timestamp > 0;
    }
}
