using Microsoft.Extensions.Logging;

namespace SignalSharp.Cli.Hosting;

/// <summary>How log lines look on stderr: text for people, one JSON object per line for log shippers.</summary>
internal enum LogFormat
{
    Text,
    Json,
}

/// <summary>
/// What the user asked of the logs: -v, --log-format, and levels by category (--log-level, else
/// $SIGNAL_SHARP_LOG_LEVEL), e.g. <c>warning,SignalSharp.Service=debug</c>. The command line wins over the environment.
/// </summary>
internal sealed record LogSettings(bool Verbose, LogFormat Format = LogFormat.Text, string? Levels = null)
{
    public const string LevelsVariable = "SIGNAL_SHARP_LOG_LEVEL";

    public static LogSettings Default { get; } = new(Verbose: false);
}

/// <summary>Logging to stderr (stdout stays free for command output); -v turns on debug details.</summary>
internal static class Logging
{
    public static ILoggerFactory Create(LogSettings settings, TextWriter? output = null)
    {
        var filter = new LoggerFilterOptions { MinLevel = settings.Verbose ? LogLevel.Debug : LogLevel.Information };
        foreach (var (category, level) in LogLevelSpec.Parse(settings.Levels))
        {
            if (category is null)
            {
                filter.MinLevel = level;
            }
            else
            {
                filter.Rules.Add(new LoggerFilterRule(providerName: null, categoryName: category, logLevel: level, filter: null));
            }
        }

        var factory = new LoggerFactory([], filter);
        // Added rather than passed in, so that disposing the factory writes out and closes the provider.
        factory.AddProvider(new StderrLoggerProvider(settings.Format, output));
        return factory;
    }
}
