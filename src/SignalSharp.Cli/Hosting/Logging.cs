using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace SignalSharp.Cli.Hosting;

/// <summary>Console logging to stderr (stdout stays free for command output); -v turns on debug details.</summary>
internal static class Logging
{
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        builder.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    });
}
