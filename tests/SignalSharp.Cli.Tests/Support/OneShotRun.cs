namespace SignalSharp.Cli.Tests.Support;

/// <summary>Runs one command line for <paramref name="number"/> against a fake account and a temporary data folder.</summary>
internal static class OneShotRun
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(OneAccount account, TempConfig config, string number, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["--config", config.Path, "-a", number, .. args], stdout, stderr, new CliServices(account, CancellationToken.None));
        return (code, stdout.ToString().Trim(), stderr.ToString());
    }
}
