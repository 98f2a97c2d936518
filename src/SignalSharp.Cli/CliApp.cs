using System.CommandLine;
using SignalSharp.Account.Api;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Commands;

namespace SignalSharp.Cli;

/// <summary>
/// The `signal-sharp` command line: global options spelled as signal-cli spells them, and the subcommands.
/// Parsing only; each command's work lives in its own class under Commands/.
/// </summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliServices? services = null)
    {
        services ??= CliServices.Default;
        var globals = new GlobalOptions();
        var root = new RootCommand("signal-sharp: a Signal messenger client and daemon")
        {
            globals.Account,
            globals.Config,
            globals.Verbose,
            globals.TrustNewIdentities,
        };
        root.Add(DaemonCommand.Create(globals, services, stderr));
        root.Add(JsonRpcCommand.Create(globals, services, stderr));
        root.Add(LinkCommand.Create(globals, stdout, stderr));
        root.Add(RegisterCommand.Create(globals, stderr));
        root.Add(VerifyCommand.Create(globals, stdout, stderr));
        root.Add(SubmitChallengeCommand.Create(globals, stderr));
        root.Add(Local.LocalCommand.Create(globals, stdout, stderr));
        root.Add(IdentityCommands.CreateList(globals, stdout, stderr));
        root.Add(IdentityCommands.CreateTrust(globals, stdout, stderr));
        foreach (var oneShot in OneShot.OneShotCommands.Create(globals, services, stdout, stderr).Concat(OneShot.ControlCommands.Create(globals, services, stdout, stderr)))
        {
            root.Add(oneShot);
        }

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await stderr.WriteLineAsync($"signal-sharp: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Try 'signal-sharp --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // The daemon handles SIGINT/SIGTERM itself, to drain connections and exit 0.
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(invocation).ConfigureAwait(false);
    }
}

/// <summary>The options every command understands (before or after the command name).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Account { get; } = new("--account", "-a", "-u", "--username")
    {
        Description = "The account to use: its phone number in E.164 form, e.g. +4366412345678",
        HelpName = "NUMBER",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = $"Where accounts are stored [default: {ConfigDirectory.DescribeDefault()}]",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<string> TrustNewIdentities { get; } = CreateTrustOption();

    /// <summary>The policy `--trust-new-identities` names (signal-cli's spelling).</summary>
    public static NewIdentityTrust ParseTrust(string? value) => value switch
    {
        "always" => NewIdentityTrust.Always,
        "never" => NewIdentityTrust.Never,
        _ => NewIdentityTrust.OnFirstUse,
    };

    private static Option<string> CreateTrustOption()
    {
        var option = new Option<string>("--trust-new-identities")
        {
            Description = "Which contact identity keys are trusted without a trust command: on-first-use (a changed one is not), always, never [default: on-first-use]",
            HelpName = "MODE",
            Recursive = true,
            DefaultValueFactory = _ => "on-first-use",
        };
        option.AcceptOnlyFromAmong("on-first-use", "always", "never");
        return option;
    }

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log debug details to stderr (never message contents)",
        Recursive = true,
    };
}

/// <summary>What the commands need from the outside world; tests substitute parts of it.</summary>
internal sealed record CliServices(IAccountOpener Accounts, CancellationToken StopRequested)
{
    /// <summary>jsonRpc's input; the process's stdin when null.</summary>
    public Stream? StandardInput { get; init; }

    /// <summary>jsonRpc's output; the process's stdout when null.</summary>
    public Stream? StandardOutput { get; init; }

    public static CliServices Default { get; } = new(new StoredAccountOpener(Hosting.Logging.Create(verbose: false)), CancellationToken.None);
}
