namespace SignalSharp.Bench.Account;

/// <summary>
/// The real signal-sharp CLI with the account's receive batch set (<c>LinkedAccountOptions.ReceiveBatch</c>), for
/// account-load's <c>--batch</c>: a small generated program on the CLI project, built in Release, whose first
/// argument is the batch size and the rest the CLI's arguments. The knob is no production option.
/// </summary>
internal static class BatchedDaemonHost
{
    /// <summary>Builds the host; returns its dll, or null (with the build log written) when the build failed.</summary>
    public static async Task<string?> BuildAsync(string root)
    {
        var dir = Path.Combine(Path.GetTempPath(), "signal-sharp-bench-batched-host");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "SignalSharp.Bench.DaemonHost.csproj"), Project.Replace("@CLI@", Path.Combine(root, "src/SignalSharp.Cli/SignalSharp.Cli.csproj")));
        await File.WriteAllTextAsync(Path.Combine(dir, "Program.cs"), Program);
        var output = Path.Combine(dir, "out");
        Console.WriteLine($"account-load: building the batched daemon host in {dir} ...");
        var (code, log) = await Daemon.DaemonStartup.RunToEndAsync("dotnet", dir, "build", "-c", "Release", "-o", output);
        if (code != 0)
        {
            Console.WriteLine(log);
            return null;
        }

        return Path.Combine(output, "SignalSharp.Bench.DaemonHost.dll");
    }

    // The assembly name is the one the CLI grants its internals to (the benchmark hosts).
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <AssemblyName>SignalSharp.Bench.DaemonHost</AssemblyName>
            <InvariantGlobalization>true</InvariantGlobalization>
            <ValidateExecutableReferencesMatchSelfContained>false</ValidateExecutableReferencesMatchSelfContained>
          </PropertyGroup>
          <ItemGroup>
            <ProjectReference Include="@CLI@" />
          </ItemGroup>
        </Project>
        """;

    private const string Program = """
        // Benchmark-only host: the real signal-sharp CLI, its account opened with the receive batch given first.
        using SignalSharp.Account;
        using SignalSharp.Cli;
        using SignalSharp.Cli.Accounts;

        var options = new LinkedAccountOptions { ReceiveBatch = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) };
        var accounts = new StoredAccountOpener(SignalSharp.Cli.Hosting.Logging.Create(SignalSharp.Cli.Hosting.LogSettings.Default), options);
        return await CliApp.RunAsync(args[1..], Console.Out, Console.Error, new CliServices(accounts, CancellationToken.None));
        """;
}
