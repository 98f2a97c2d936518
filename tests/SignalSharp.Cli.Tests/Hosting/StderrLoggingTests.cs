using System.Text.Json;
using Microsoft.Extensions.Logging;
using SignalSharp.Cli.Hosting;

namespace SignalSharp.Cli.Tests.Hosting;

/// <summary>The hand-built stderr logging: the two line shapes the daemon writes, the level rules, nothing lost at stop.</summary>
public sealed partial class StderrLoggingTests
{
    [Fact]
    public void Text_lines_are_single_lines_with_time_level_category_and_event_id()
    {
        var lines = Logged(new LogSettings(Verbose: false), logs =>
        {
            Listening(logs.CreateLogger("SignalSharp.Daemon"), "127.0.0.1:7583");
            logs.CreateLogger("SignalSharp.Account").LogError(new InvalidOperationException("first\nsecond"), "failed\nbadly");
        });

        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: SignalSharp\.Daemon\[1\] Listening on 127\.0\.0\.1:7583 \(TCP\)$", lines[0]);
        Assert.Matches(@"^\S+Z fail: SignalSharp\.Account\[0\] failed badly System\.InvalidOperationException: first second$", lines[1]);
    }

    [Fact]
    public void Json_lines_carry_the_entry_and_its_structured_state()
    {
        var lines = Logged(new LogSettings(Verbose: false, LogFormat.Json), logs => Listening(logs.CreateLogger("SignalSharp.Daemon"), "127.0.0.1:7583"));

        using var entry = JsonDocument.Parse(Assert.Single(lines));
        var root = entry.RootElement;
        Assert.Equal(1, root.GetProperty("EventId").GetInt32());
        Assert.Equal("Information", root.GetProperty("LogLevel").GetString());
        Assert.Equal("SignalSharp.Daemon", root.GetProperty("Category").GetString());
        Assert.Equal("Listening on 127.0.0.1:7583 (TCP)", root.GetProperty("Message").GetString());
        Assert.Equal("127.0.0.1:7583", root.GetProperty("State").GetProperty("Endpoint").GetString());
        Assert.Equal("Listening on {Endpoint} (TCP)", root.GetProperty("State").GetProperty("{OriginalFormat}").GetString());
        Assert.EndsWith("Z", root.GetProperty("Timestamp").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Levels_follow_verbose_the_default_and_category_rules()
    {
        var lines = Logged(new LogSettings(Verbose: true, Levels: "warning,SignalSharp.Service=debug"), logs =>
        {
            logs.CreateLogger("SignalSharp.Daemon").LogInformation("daemon info");
            logs.CreateLogger("SignalSharp.Daemon").LogWarning("daemon warning");
            logs.CreateLogger("SignalSharp.Service.Transport").LogDebug("transport debug");
            logs.CreateLogger("SignalSharp.Service.Transport").LogTrace("transport trace");
        });

        Assert.Equal(["daemon warning", "transport debug"], lines.Select(l => l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..]));
        Assert.Contains("dbug: SignalSharp.Service.Transport[0]", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_line_logged_before_the_factory_is_disposed_is_written()
    {
        var lines = Logged(new LogSettings(Verbose: false), logs =>
        {
            var logger = logs.CreateLogger("SignalSharp.Account");
            for (var i = 0; i < 5000; i++)
            {
                logger.LogInformation("line {Index}", i);
            }
        });

        Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"line {i}"), lines.Select(l => l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..]));
    }

    private static string[] Logged(LogSettings settings, Action<ILoggerFactory> log)
    {
        var output = new StringWriter();
        using (var logs = Logging.Create(settings, output))
        {
            log(logs);
        }

        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening on {Endpoint} (TCP)")]
    private static partial void Listening(ILogger logger, string endpoint);
}
