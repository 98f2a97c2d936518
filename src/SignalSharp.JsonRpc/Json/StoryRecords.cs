using System.Text.Json.Serialization;
using SignalSharp.Account.Api;

namespace SignalSharp.JsonRpc.Json;

/// <summary>signal-cli's storyMessage: whether replies are allowed always; the group, the file or the text story when set.</summary>
public sealed record JsonStoryMessage(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] bool AllowsReplies,
    string? GroupId,
    JsonAttachment? FileAttachment,
    JsonTextAttachment? TextAttachment);

/// <summary>A text story: colors as signal-cli writes them, <c>#aarrggbb</c>.</summary>
public sealed record JsonTextAttachment(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Text,
    string? Style,
    string? TextForegroundColor,
    string? TextBackgroundColor,
    JsonPreview? Preview,
    JsonGradient? BackgroundGradient,
    string? BackgroundColor);

/// <summary>A story's background gradient; startColor and endColor only for a plain two-stop gradient, as signal-cli.</summary>
public sealed record JsonGradient(string? StartColor, string? EndColor, IReadOnlyList<string> Colors, IReadOnlyList<float> Positions, uint? Angle);

internal static class StoryMapper
{
    public static JsonStoryMessage ToStory(ReceivedMessage message, ReceivedStory story, Func<ReceivedAttachment, string?> attachmentId)
    {
        var attachments = message.Attachments.Select(a => new JsonAttachment(a.ContentType, a.FileName, attachmentId(a), a.Size)).ToList();
        JsonTextAttachment? text = null;
        if (story.Text is { } t)
        {
            text = new JsonTextAttachment(t.Text, t.Style, Hex(t.ForegroundColor), Hex(t.TextBackgroundColor),
                t.Preview is { } p ? new JsonPreview(p.Url, p.Title, p.Description) : null,
                t.Gradient is { } g ? ToGradient(g) : null,
                Hex(t.BackgroundColor));
        }

        // A text story's only attachment is its link preview's image; a file story's is the story itself.
        return new JsonStoryMessage(story.AllowsReplies, message.GroupId?.ToBase64(), text is null ? attachments.FirstOrDefault() : null, text);
    }

    private static JsonGradient ToGradient(ReceivedGradient gradient)
    {
        var twoStops = gradient.Colors.Count == 2 && gradient.Positions.Count == 2 && gradient.Positions[0] == 0f && gradient.Positions[1] == 1f;
        return new JsonGradient(twoStops ? Hex(gradient.Colors[0]) : null, twoStops ? Hex(gradient.Colors[1]) : null,
            [.. gradient.Colors.Select(c => Hex(c)!)], gradient.Positions, gradient.Angle);
    }

    private static string? Hex(uint? argb) => argb is { } color ? $"#{color:x8}" : null;
}
