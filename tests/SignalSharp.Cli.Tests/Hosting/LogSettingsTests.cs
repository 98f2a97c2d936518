using Microsoft.Extensions.Logging;
using SignalSharp.Cli.Hosting;

namespace SignalSharp.Cli.Tests.Hosting;

public sealed class LogSettingsTests
{
    [Fact]
    public void A_level_list_names_a_default_and_categories_in_order()
    {
        var entries = LogLevelSpec.Parse("warning, SignalSharp.Service=debug,SignalSharp.JsonRpc=none");
        Assert.Equal([(null, LogLevel.Warning), ("SignalSharp.Service", LogLevel.Debug), ("SignalSharp.JsonRpc", LogLevel.None)], entries);
        Assert.Empty(LogLevelSpec.Parse(null));
        Assert.Equal([(null, LogLevel.Information)], LogLevelSpec.Parse("info"));
    }

    [Theory]
    [InlineData("loud")]
    [InlineData("=debug")]
    [InlineData("SignalSharp=")]
    public void A_bad_level_list_is_refused_naming_the_entry(string spec)
    {
        var error = Assert.Throws<FormatException>(() => LogLevelSpec.Parse(spec));
        Assert.Contains(spec.Trim(), error.Message);
    }

    [Fact]
    public async Task The_command_line_refuses_a_bad_level_list_or_format_and_a_bad_environment_list()
    {
        Assert.Equal(ExitCodes.Usage, await RunAsync(["--log-level", "SignalSharp=loud", "daemon"]));
        Assert.Equal(ExitCodes.Usage, await RunAsync(["--log-format", "xml", "daemon"]));

        var stderr = new StringWriter();
        var services = CliServices.Default with { Environment = name => name == LogSettings.LevelsVariable ? "loud" : null };
        Assert.Equal(ExitCodes.Usage, await CliApp.RunAsync(["--version"], new StringWriter(), stderr, services));
        Assert.Contains(LogSettings.LevelsVariable, stderr.ToString());

        // The command line wins: a good --log-level makes the environment's bad list irrelevant.
        Assert.Equal(0, await CliApp.RunAsync(["--log-level", "debug", "daemon", "--help"], new StringWriter(), new StringWriter(), services));
    }

    private static Task<int> RunAsync(string[] args) => CliApp.RunAsync(args, new StringWriter(), new StringWriter());
}
