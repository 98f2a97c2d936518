using System.Globalization;

namespace SignalSharp.Cli.Hosting;

/// <summary>Reads sizes such as "134217728", "128M", "64KiB" or "1g" (binary multiples).</summary>
internal static class ByteSizeParser
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var t = text.Trim();
        var multiplier = 1L;
        foreach (var (suffix, factor) in Suffixes)
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                multiplier = factor;
                t = t[..^suffix.Length].TrimEnd();
                break;
            }
        }

        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = value * multiplier;
        return true;
    }

    private static readonly (string Suffix, long Factor)[] Suffixes =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30),
        ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30), ("B", 1),
    ];
}
