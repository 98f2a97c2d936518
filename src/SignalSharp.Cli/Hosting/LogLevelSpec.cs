using Microsoft.Extensions.Logging;

namespace SignalSharp.Cli.Hosting;

/// <summary>
/// Reads a log level list: comma-separated entries, each a level (<c>debug</c>, the default for every category) or
/// <c>CATEGORY=LEVEL</c> (a category prefix such as <c>SignalSharp.Service</c>). Level names are Microsoft.Extensions'
/// (trace, debug, information or info, warning or warn, error, critical, none).
/// </summary>
internal static class LogLevelSpec
{
    /// <summary>The entries in order; a null category is the default level. Throws <see cref="FormatException"/> naming the bad entry.</summary>
    public static IReadOnlyList<(string? Category, LogLevel Level)> Parse(string? spec)
    {
        var entries = new List<(string?, LogLevel)>();
        if (string.IsNullOrWhiteSpace(spec))
        {
            return entries;
        }

        foreach (var raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = raw.IndexOf('=', StringComparison.Ordinal);
            var category = equals < 0 ? null : raw[..equals].Trim();
            var levelText = equals < 0 ? raw : raw[(equals + 1)..].Trim();
            if (category is { Length: 0 } || !TryLevel(levelText, out var level))
            {
                throw new FormatException($"log level '{raw}': expected LEVEL or CATEGORY=LEVEL with LEVEL one of trace, debug, info, warning, error, critical, none");
            }

            entries.Add((category, level));
        }

        return entries;
    }

    private static bool TryLevel(string text, out LogLevel level)
    {
        level = text.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" or "information" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            "none" => LogLevel.None,
            _ => (LogLevel)(-1),
        };
        return level >= 0;
    }
}
