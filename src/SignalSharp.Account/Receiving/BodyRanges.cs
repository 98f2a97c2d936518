using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// Mentions and styles of a received text. Signal counts ranges in UTF-16 code units, which is what a .NET string
/// indexes, so a range is taken as it comes; one that reaches past the end of its text, or names no one, is dropped
/// rather than handed to a client that would cut the text with it.
/// </summary>
internal static class BodyRanges
{
    public static IReadOnlyList<ReceivedMention> Mentions(IEnumerable<BodyRange> ranges, string? text, IReadOnlyDictionary<Guid, string> numbers)
    {
        var mentions = new List<ReceivedMention>();
        foreach (var range in ranges)
        {
            if (MentionedAci(range) is { } aci && Within(range, text) is var (start, length) && start >= 0)
            {
                mentions.Add(new ReceivedMention(start, length, aci.ToString(), numbers.GetValueOrDefault(aci)));
            }
        }

        return mentions;
    }

    public static IReadOnlyList<ReceivedTextStyle> Styles(IEnumerable<BodyRange> ranges, string? text)
    {
        var styles = new List<ReceivedTextStyle>();
        foreach (var range in ranges)
        {
            if (range.AssociatedValueCase == BodyRange.AssociatedValueOneofCase.Style && StyleOf(range.Style) is { } style
                && Within(range, text) is var (start, length) && start >= 0)
            {
                styles.Add(new ReceivedTextStyle(start, length, style));
            }
        }

        return styles;
    }

    /// <summary>Every ACI the ranges mention, so their numbers can be looked up at once.</summary>
    public static IEnumerable<Guid> MentionedAcis(IEnumerable<BodyRange> ranges) =>
        ranges.Select(MentionedAci).Where(a => a is not null).Select(a => a!.Value);

    /// <summary>The range as (start, length) when it lies inside <paramref name="text"/>, else (-1, 0).</summary>
    private static (int Start, int Length) Within(BodyRange range, string? text)
    {
        var textLength = (long)(text?.Length ?? 0);
        var start = (long)range.Start;
        var length = (long)range.Length;
        return start + length <= textLength ? ((int)start, (int)length) : (-1, 0);
    }

    private static Guid? MentionedAci(BodyRange range) => range.AssociatedValueCase switch
    {
        BodyRange.AssociatedValueOneofCase.MentionAciBinary when range.MentionAciBinary.Length == 16 => new Guid(range.MentionAciBinary.Span, bigEndian: true),
        BodyRange.AssociatedValueOneofCase.MentionAci when Guid.TryParse(range.MentionAci, out var aci) => aci,
        _ => null,
    };

    private static TextStyle? StyleOf(uint style) => style switch
    {
        1 => TextStyle.Bold,
        2 => TextStyle.Italic,
        3 => TextStyle.Spoiler,
        4 => TextStyle.Strikethrough,
        5 => TextStyle.Monospace,
        _ => null,
    };
}
