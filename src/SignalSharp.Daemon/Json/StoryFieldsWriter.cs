using System.Text.Json;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Json;

/// <summary>
/// A story's fields in a receive_messages item: the item keeps the message shape (its body is a text story's words,
/// its attachment the image or video) and adds "story" with what only a story has. Colors as <c>#aarrggbb</c>.
/// </summary>
internal static class StoryFieldsWriter
{
    public static void Write(Utf8JsonWriter json, ReceivedStory story)
    {
        json.WriteStartObject("story"u8);
        json.WriteBoolean("allowsReplies"u8, story.AllowsReplies);
        if (story.Text is { } text)
        {
            json.WriteStartObject("text"u8);
            WriteOptional(json, "style"u8, text.Style);
            WriteColor(json, "textForegroundColor"u8, text.ForegroundColor);
            WriteColor(json, "textBackgroundColor"u8, text.TextBackgroundColor);
            WriteColor(json, "backgroundColor"u8, text.BackgroundColor);
            if (text.Gradient is { } gradient)
            {
                json.WriteStartObject("backgroundGradient"u8);
                json.WriteStartArray("colors"u8);
                foreach (var color in gradient.Colors)
                {
                    json.WriteStringValue(Hex(color));
                }

                json.WriteEndArray();
                json.WriteStartArray("positions"u8);
                foreach (var position in gradient.Positions)
                {
                    json.WriteNumberValue(position);
                }

                json.WriteEndArray();
                if (gradient.Angle is { } angle)
                {
                    json.WriteNumber("angle"u8, angle);
                }

                json.WriteEndObject();
            }

            if (text.Preview is { } preview)
            {
                json.WriteStartObject("preview"u8);
                json.WriteString("url"u8, preview.Url);
                WriteOptional(json, "title"u8, preview.Title);
                WriteOptional(json, "description"u8, preview.Description);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteColor(Utf8JsonWriter json, ReadOnlySpan<byte> name, uint? argb)
    {
        if (argb is { } color)
        {
            json.WriteString(name, Hex(color));
        }
    }

    private static string Hex(uint argb) => $"#{argb:x8}";
}
