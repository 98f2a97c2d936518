using System.Globalization;

namespace SignalSharp.Service.Groups;

/// <summary>
/// One page of a group's change log: the serialized <c>GroupChanges</c>, and where the next page starts when the
/// server held more back (null: this was the last page).
/// </summary>
public sealed record GroupLogPage(byte[] Changes, uint? NextFrom);

/// <summary>The group server's <c>Content-Range: versions {first}-{last}/{current}</c> on a partial change log.</summary>
public readonly record struct GroupLogRange(uint First, uint Last, uint Current)
{
    /// <summary>The range, or null when <paramref name="header"/> is not one.</summary>
    public static GroupLogRange? Parse(string? header)
    {
        const string Unit = "versions ";
        if (header is null || !header.StartsWith(Unit, StringComparison.Ordinal))
        {
            return null;
        }

        var span = header.AsSpan(Unit.Length).Trim();
        var dash = span.IndexOf('-');
        var slash = span.IndexOf('/');
        if (dash <= 0 || slash <= dash + 1)
        {
            return null;
        }

        return Number(span[..dash]) is { } first && Number(span[(dash + 1)..slash]) is { } last && Number(span[(slash + 1)..]) is { } current && first <= last
            ? new GroupLogRange(first, last, current)
            : null;

        static uint? Number(ReadOnlySpan<char> text) =>
            uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
