using System.Net;
using System.Net.Sockets;
using SignalSharp.Cli.Tests.Support;

namespace SignalSharp.Cli.Tests.Hosting;

/// <summary>`--config-file`: settings from a JSON file, global and per command, with the command line winning.</summary>
public sealed class ConfigFileTests
{
    [Fact]
    public async Task The_daemon_takes_its_account_and_address_from_the_file_and_the_command_line_wins()
    {
        using var config = new TempConfig();
        var fromFile = RunningDaemon.FreePort();
        var fromCommandLine = RunningDaemon.FreePort();
        var file = Path.Combine(config.Path, "settings.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              // comments are allowed
              "account": "+4366412345678",
              "config": "{{config.Path}}",
              "daemon": { "tcp": "127.0.0.1:{{fromFile}}", "max-command-size": "1M" },
            }
            """);

        await AssertServesAsync(["--config-file", file, "daemon"], fromFile);
        await AssertServesAsync(["--config-file", file, "daemon", "--tcp", $"127.0.0.1:{fromCommandLine}"], fromCommandLine);
    }

    [Theory]
    [InlineData("""{"no-such-option": 1}""", "--no-such-option")]
    [InlineData("""{"daemon": {"receive-mode": "manual", "qr": true}}""", "--qr")]
    [InlineData("""{"daemon": "tcp"}""", "names a command")]
    [InlineData("""{"verbose": "yes please"}""", "--verbose")]
    [InlineData("""[1, 2]""", "JSON object")]
    [InlineData("""{"account": """, "--config-file")]
    public async Task A_file_with_a_typo_or_a_wrong_shape_is_a_usage_error_naming_it(string content, string named)
    {
        using var config = new TempConfig();
        var file = Path.Combine(config.Path, "settings.json");
        await File.WriteAllTextAsync(file, content);
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.Usage, await CliApp.RunAsync(["--config-file", file, "--config", config.Path, "-a", "+4366412345678", "daemon"], new StringWriter(), stderr));
        Assert.Contains(named, stderr.ToString());
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error_naming_it()
    {
        var stderr = new StringWriter();
        Assert.Equal(ExitCodes.Usage, await CliApp.RunAsync(["--config-file", "/nonexistent/settings.json", "daemon"], new StringWriter(), stderr));
        Assert.Contains("/nonexistent/settings.json", stderr.ToString());
    }

    private static async Task AssertServesAsync(string[] args, int port)
    {
        using var stop = new CancellationTokenSource();
        var stderr = new StringWriter();
        var run = CliApp.RunAsync(args, new StringWriter(), stderr, new CliServices(new OneAccount(), stop.Token) { Environment = _ => null });
        (await Loopback.ConnectAsync(port, run, stderr)).Dispose();
        await stop.CancelAsync();
        Assert.True(0 == await run.WaitAsync(TimeSpan.FromSeconds(30)), stderr.ToString());
    }
}
