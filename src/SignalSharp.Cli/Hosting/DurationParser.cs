using System.Globalization;

namespace SignalSharp.Cli.Hosting;

/// <summary>Reads durations such as "0", "90s", "10m", "2h" or "7d" (a bare number is seconds).</summary>
internal static class DurationParser
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var t = text.Trim();
        var unit = TimeSpan.FromSeconds(1);
        if (t.Length > 0 && char.IsAsciiLetter(t[^1]))
        {
            unit = char.ToLowerInvariant(t[^1]) switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                _ => TimeSpan.Zero,
            };
            t = t[..^1];
        }

        if (unit == TimeSpan.Zero || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > Longest / unit)
        {
            return false;
        }

        duration = unit * count;
        return true;
    }
}
