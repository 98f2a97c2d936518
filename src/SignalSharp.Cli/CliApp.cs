using System.CommandLine;
using Microsoft.Extensions.Logging;
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
        var globals = new GlobalOptions();
        // The process's own services log as the command line asks, which is known only after parsing.
        // Made on first use: building a logger factory costs a NativeAOT process more than the rest of its start (its
        // DI container loads generic types at run time), and `--version` or a one-shot command handed to a running
        // daemon never logs.
        Lazy<ILoggerFactory>? processLogs = null;
        services ??= CliServices.Default with { Accounts = new StoredAccountOpener(() => processLogs?.Value) };
        var root = new RootCommand("signal-sharp: a Signal messenger client and daemon")
        {
            globals.Account,
            globals.Config,
            globals.Verbose,
            globals.LogFormat,
            globals.LogLevel,
            globals.TrustNewIdentities,
            globals.ConfigFile,
            globals.Output,
        };
        root.Add(DaemonCommand.Create(globals, services, stderr));
        root.Add(JsonRpcCommand.Create(globals, services, stderr));
        root.Add(LinkCommand.Create(globals, stdout, stderr));
        root.Add(RegisterCommand.Create(globals, stderr));
        root.Add(VerifyCommand.Create(globals, stdout, stderr));
        root.Add(SubmitChallengeCommand.Create(globals, stderr));
        root.Add(Local.LocalCommand.Create(globals, stdout, stderr));
        root.Add(IdentityCommands.CreateList(globals, services, stdout, stderr));
        root.Add(IdentityCommands.CreateTrust(globals, services, stdout, stderr));
        foreach (var oneShot in OneShot.OneShotCommands.Create(globals, services, stdout, stderr).Concat(OneShot.ControlCommands.Create(globals, services, stdout, stderr))
            .Concat(OneShot.GroupCommands.Create(globals, services, stdout, stderr)).Concat(OneShot.PeopleCommands.Create(globals, services, stdout, stderr))
            .Concat(OneShot.AccountCommands.Create(globals, services, stdout, stderr))
            .Concat(OneShot.PollCommands.Create(globals, services, stdout, stderr)).Concat(OneShot.StickerCommands.Create(globals, services, stdout, stderr)))
        {
            root.Add(oneShot);
        }

        var parseResult = root.Parse(args);
        if (parseResult.GetValue(globals.ConfigFile) is { } configFile)
        {
            try
            {
                parseResult = root.Parse(Hosting.ConfigFile.Merge(args, parseResult, configFile));
            }
            catch (Hosting.ConfigFileException e)
            {
                await stderr.WriteLineAsync($"signal-sharp: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }

        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await stderr.WriteLineAsync($"signal-sharp: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Try 'signal-sharp --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (parseResult.GetResult(globals.LogLevel) is null && !TryLevels(services.Environment(Hosting.LogSettings.LevelsVariable), out var levelsError))
        {
            await stderr.WriteLineAsync($"signal-sharp: ${Hosting.LogSettings.LevelsVariable}: {levelsError}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        globals.EnvironmentLevels = services.Environment(Hosting.LogSettings.LevelsVariable);

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // The daemon handles SIGINT/SIGTERM itself, to drain connections and exit 0.
            ProcessTerminationTimeout = null,
        };
        var logSettings = globals.ReadLogs(parseResult);
        processLogs = new Lazy<ILoggerFactory>(() => Hosting.Logging.Create(logSettings));
        try
        {
            return await parseResult.InvokeAsync(invocation).ConfigureAwait(false);
        }
        finally
        {
            if (processLogs.IsValueCreated)
            {
                processLogs.Value.Dispose();
            }
        }
    }

    private static bool TryLevels(string? spec, out string error)
    {
        try
        {
            Hosting.LogLevelSpec.Parse(spec);
            error = "";
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
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

    /// <summary>`-o/--output plain-text|json`: how one-shot commands print their result, as signal-cli's option does.</summary>
    public Option<string> Output { get; } = CreateOutputOption();

    private static Option<string> CreateOutputOption()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "How one-shot commands print: plain-text, or json (the JSON signal-cli prints: the JSON-RPC result) [default: plain-text]",
            HelpName = "MODE",
            Recursive = true,
            DefaultValueFactory = _ => "plain-text",
        };
        option.AcceptOnlyFromAmong("plain-text", "json");
        return option;
    }

    public bool IsJson(ParseResult parseResult) => parseResult.GetValue(Output) == "json";

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log debug details to stderr (never message contents)",
        Recursive = true,
    };

    public Option<Hosting.LogFormat> LogFormat { get; } = new("--log-format")
    {
        Description = "How log lines on stderr look: text, or json (one object per line, for log shippers) [default: text]",
        HelpName = "FORMAT",
        Recursive = true,
    };

    public Option<string?> LogLevel { get; } = CreateLogLevelOption();

    public Option<string?> ConfigFile { get; } = new("--config-file")
    {
        Description = "Read settings from this JSON file: long option names without dashes as keys, global or for the command that runs, "
            + "or under a command's name (e.g. {\"log-format\":\"json\",\"daemon\":{\"socket\":\"/run/signal-sharp/socket\"}}); the command line wins",
        HelpName = "FILE",
        Recursive = true,
    };

    /// <summary>$SIGNAL_SHARP_LOG_LEVEL as the process saw it, for when --log-level is not given.</summary>
    public string? EnvironmentLevels { get; set; }

    /// <summary>The log settings the command line (and, under it, the environment) asks for.</summary>
    public Hosting.LogSettings ReadLogs(ParseResult parseResult) => new(
        parseResult.GetValue(Verbose),
        parseResult.GetValue(LogFormat),
        parseResult.GetResult(LogLevel) is null ? EnvironmentLevels : parseResult.GetValue(LogLevel));

    private static Option<string?> CreateLogLevelOption()
    {
        var option = new Option<string?>("--log-level")
        {
            Description = "Log levels: LEVEL for every category and/or CATEGORY=LEVEL, comma-separated "
                + $"(e.g. warning,SignalSharp.Service=debug) [default: info, debug with -v; ${Hosting.LogSettings.LevelsVariable} when not given]",
            HelpName = "LEVELS",
            Recursive = true,
        };
        option.Validators.Add(result =>
        {
            try
            {
                Hosting.LogLevelSpec.Parse(result.GetValueOrDefault<string?>());
            }
            catch (FormatException e)
            {
                result.AddError(e.Message);
            }
        });
        return option;
    }
}

/// <summary>What the commands need from the outside world; tests substitute parts of it.</summary>
internal sealed record CliServices(IAccountOpener Accounts, CancellationToken StopRequested)
{
    /// <summary>jsonRpc's input; the process's stdin when null.</summary>
    public Stream? StandardInput { get; init; }

    /// <summary>jsonRpc's output; the process's stdout when null.</summary>
    public Stream? StandardOutput { get; init; }

    /// <summary>Reads an environment variable ($NOTIFY_SOCKET, $SIGNAL_SHARP_LOG_LEVEL…); the process's environment unless a test substitutes it.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Listening sockets the service manager handed over; read from the environment (systemd's LISTEN_FDS) when null.</summary>
    public Func<IReadOnlyList<System.Net.Sockets.Socket>>? InheritedSockets { get; init; }

    public IReadOnlyList<System.Net.Sockets.Socket> TakeInheritedSockets() => InheritedSockets?.Invoke() ?? Hosting.SystemdSockets.FromEnvironment(Environment);

    private static readonly Lazy<ILoggerFactory> DefaultLogs = new(() => Hosting.Logging.Create(Hosting.LogSettings.Default));

    public static CliServices Default { get; } = new(new StoredAccountOpener(() => DefaultLogs.Value), CancellationToken.None);
}
