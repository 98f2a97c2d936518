using System.Text.Json;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Commands;

/// <summary>
/// send_message's dataMessage media beyond attachments: <c>sticker</c> (<c>"packId:stickerId"</c>, signal-cli's form:
/// the pack id in hex, from a pack the account installed) and a link <c>preview</c>
/// <c>{url, title?, description?, image?}</c>, the image an attachment object like those of <c>attachments</c>.
/// A fault is status -1 naming the field (3 for a bad preview image, as for attachments).
/// </summary>
internal static class MessageMediaParser
{
    public static bool TryParse(JsonElement data, LargeBase64Values? extracted, OutgoingMessage message, out OutgoingMessage extended, out CommandFault fault)
    {
        extended = message;
        fault = default;
        if (CommandParser.TryGetPresent(data, "sticker"u8, out var stickerElement))
        {
            if (stickerElement.ValueKind != JsonValueKind.String || !OutgoingSticker.TryParse(stickerElement.GetString(), out var sticker))
            {
                fault = new CommandFault(StatusCode.Unknown, "\"dataMessage.sticker\" must be \"packId:stickerId\" (the pack id in hex)");
                return false;
            }

            extended = extended with { Sticker = sticker };
        }

        if (CommandParser.TryGetPresent(data, "preview"u8, out var previewElement))
        {
            if (!TryParsePreview(previewElement, extracted, out var preview, out fault))
            {
                return false;
            }

            extended = extended with { Preview = preview };
        }

        return true;
    }

    private static bool TryParsePreview(JsonElement element, LargeBase64Values? extracted, out OutgoingPreview preview, out CommandFault fault)
    {
        preview = null!;
        fault = default;
        if (element.ValueKind != JsonValueKind.Object || !CommandParser.TryGetPresent(element, "url"u8, out var url)
            || url.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(url.GetString()))
        {
            fault = new CommandFault(StatusCode.Unknown, "\"dataMessage.preview\" must be an object with a \"url\" string");
            return false;
        }

        if (!MessageContentParser.TryGetOptionalString(element, "title"u8, out var title)
            || !MessageContentParser.TryGetOptionalString(element, "description"u8, out var description))
        {
            fault = new CommandFault(StatusCode.Unknown, "the preview's \"title\" and \"description\" must be strings");
            return false;
        }

        OutgoingAttachment? image = null;
        if (CommandParser.TryGetPresent(element, "image"u8, out var imageElement)
            && !MessageContentParser.TryParseAttachment(imageElement, "the preview's image", extracted, out image, out fault))
        {
            return false;
        }

        preview = new OutgoingPreview(url.GetString()!, title, description, image);
        return true;
    }
}
