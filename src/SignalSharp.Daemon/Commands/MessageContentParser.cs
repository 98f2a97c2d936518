using System.Text.Json;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Commands;

/// <summary>
/// The dataMessage of send_message: first whether there is content at all (9: no text, attachment or sticker), then
/// the attachment data (3). An empty text or an empty attachment list counts as absent.
/// </summary>
internal static class MessageContentParser
{
    public static bool TryParse(JsonElement request, LargeBase64Values? extracted, out OutgoingMessage message, out CommandFault fault)
    {
        message = null!;
        fault = default;
        if (!CommandParser.TryGetPresent(request, "dataMessage"u8, out var data))
        {
            fault = new CommandFault(StatusCode.MissingMessageContent, "\"dataMessage\" is missing: give a \"message\" or \"attachments\"");
            return false;
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            fault = new CommandFault(StatusCode.Unknown, "\"dataMessage\" must be an object");
            return false;
        }

        string? text = null;
        if (CommandParser.TryGetPresent(data, "message"u8, out var textElement))
        {
            if (textElement.ValueKind != JsonValueKind.String)
            {
                fault = new CommandFault(StatusCode.Unknown, "\"dataMessage.message\" must be a string");
                return false;
            }

            text = textElement.GetString();
            if (text!.Length == 0)
            {
                text = null;
            }
        }

        var hasAttachments = CommandParser.TryGetPresent(data, "attachments"u8, out var attachments)
            && !(attachments.ValueKind == JsonValueKind.Array && attachments.GetArrayLength() == 0);
        if (text is null && !hasAttachments && !CommandParser.TryGetPresent(data, "sticker"u8, out _))
        {
            fault = new CommandFault(StatusCode.MissingMessageContent, "the message has no text, no attachment and no sticker");
            return false;
        }

        var parsed = new List<OutgoingAttachment>();
        if (hasAttachments && !TryParseAttachments(attachments, extracted, parsed, out fault))
        {
            return false;
        }

        return MessageExtrasParser.TryParse(data, new OutgoingMessage(text, parsed), out var extended, out fault)
            && MessageMediaParser.TryParse(data, extracted, extended, out message, out fault);
    }

    private static bool TryParseAttachments(JsonElement attachments, LargeBase64Values? extracted, List<OutgoingAttachment> parsed, out CommandFault fault)
    {
        fault = default;
        if (attachments.ValueKind != JsonValueKind.Array)
        {
            fault = new CommandFault(StatusCode.InvalidAttachment, "\"dataMessage.attachments\" must be an array");
            return false;
        }

        var index = 0;
        foreach (var entry in attachments.EnumerateArray())
        {
            if (!TryParseAttachment(entry, $"attachment {index}", extracted, out var attachment, out fault))
            {
                return false;
            }

            parsed.Add(attachment);
            index++;
        }

        return true;
    }

    /// <summary>One attachment object, <c>{base64Data, filename?, contentType?}</c>; <paramref name="what"/> names it in a fault (status 3).</summary>
    internal static bool TryParseAttachment(JsonElement entry, string what, LargeBase64Values? extracted, out OutgoingAttachment attachment, out CommandFault fault)
    {
        attachment = null!;
        fault = default;
        if (entry.ValueKind != JsonValueKind.Object)
        {
            fault = new CommandFault(StatusCode.InvalidAttachment, $"{what} must be an object with \"base64Data\"");
            return false;
        }

        if (!CommandParser.TryGetPresent(entry, "base64Data"u8, out var base64) || base64.ValueKind != JsonValueKind.String)
        {
            fault = new CommandFault(StatusCode.InvalidAttachment, $"{what} has no \"base64Data\" string");
            return false;
        }

        if (!Base64Data.TryDecode(base64, extracted, out var bytes))
        {
            fault = new CommandFault(StatusCode.InvalidAttachment, $"{what}: \"base64Data\" is not valid base64");
            return false;
        }

        if (!TryGetOptionalString(entry, "filename"u8, out var fileName) || !TryGetOptionalString(entry, "contentType"u8, out var contentType))
        {
            fault = new CommandFault(StatusCode.InvalidAttachment, $"{what}: \"filename\" and \"contentType\" must be strings");
            return false;
        }

        attachment = new OutgoingAttachment(bytes, fileName, contentType);
        return true;
    }

    internal static bool TryGetOptionalString(JsonElement obj, ReadOnlySpan<byte> name, out string? value)
    {
        value = null;
        if (!CommandParser.TryGetPresent(obj, name, out var element))
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString();
        return true;
    }
}
