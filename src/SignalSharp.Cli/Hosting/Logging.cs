using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

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

/// <summary>Console logging to stderr (stdout stays free for command output); -v turns on debug details.</summary>
internal static class Logging
{
    public static ILoggerFactory Create(LogSettings settings) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(settings.Verbose ? LogLevel.Debug : LogLevel.Information);
        foreach (var (category, level) in LogLevelSpec.Parse(settings.Levels))
        {
            if (category is null)
            {
                builder.SetMinimumLevel(level);
            }
            else
            {
                builder.AddFilter(category, level);
            }
        }

        if (settings.Format == LogFormat.Json)
        {
            builder.AddJsonConsole(options =>
            {
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    });
}
