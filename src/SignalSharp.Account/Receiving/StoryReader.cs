using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;

namespace SignalSharp.Account.Receiving;

/// <summary>A kept story as callers see it: whether replies are allowed, and a text story's words and look.</summary>
internal static class StoryReader
{
    public static MessageDetails Details(StoryMessage story)
    {
        var text = story.TextAttachment is { } textStory ? TextOf(textStory) : null;
        return new MessageDetails
        {
            Story = new ReceivedStory(story.AllowsReplies, text),
            TextStyles = BodyRanges.Styles(story.BodyRanges, text?.Text),
        };
    }

    private static ReceivedTextStory TextOf(TextAttachment text)
    {
        var preview = text.Preview is { HasUrl: true } p
            ? new ReceivedPreview(p.Url, p.HasTitle ? p.Title : null, p.HasDescription ? p.Description : null, p.HasDate ? (long)p.Date : null)
            : null;
        var gradient = text.Gradient is { } g ? GradientOf(g) : null;
        return new ReceivedTextStory(
            text.HasText ? text.Text : null,
            text.HasTextStyle ? text.TextStyle.ToString().ToUpperInvariant() : null,
            text.HasTextForegroundColor ? text.TextForegroundColor : null,
            text.HasTextBackgroundColor ? text.TextBackgroundColor : null,
            preview,
            gradient,
            text.HasColor ? text.Color : null);
    }

    // Older apps send only a start and an end color; they are the gradient's two stops at 0 and 1.
    private static ReceivedGradient GradientOf(TextAttachment.Types.Gradient gradient)
    {
        if (gradient.Colors.Count == 0 && gradient.HasStartColor && gradient.HasEndColor)
        {
            return new ReceivedGradient([gradient.StartColor, gradient.EndColor], [0f, 1f], gradient.HasAngle ? gradient.Angle : null);
        }

        return new ReceivedGradient([.. gradient.Colors], [.. gradient.Positions], gradient.HasAngle ? gradient.Angle : null);
    }
}
