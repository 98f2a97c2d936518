using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Hosting;
using SignalSharp.Account.Api;
using SignalSharp.Daemon.Server;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// `signal-sharp [-a NUMBER] daemon [--tcp HOST:PORT]` (alias `socket`): serve the TCP JSON protocol for one
/// account until SIGINT or SIGTERM, then stop accepting, give commands in progress a few seconds, and exit 0.
/// </summary>
internal static class DaemonCommand
{
    public static Command Create(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var tcp = new Option<string?>("--tcp")
        {
            Description = $"Listen on this TCP address [default: {EndPointParser.Default}]. A non-loopback address prints "
                + "a warning: the protocol has no authentication",
            HelpName = "HOST:PORT",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var maxSize = new Option<string?>("--max-command-size")
        {
            Description = "Largest single command in bytes (suffixes K, M, G); a larger one is answered with an error "
                + "and its connection closed [default: 128M]",
            HelpName = "BYTES",
        };
        var server = RegisterCommand.ServerOption("Reach this server profile (JSON) for this run instead of the one stored with the account");
        var command = new Command("daemon",
            "Serve the JSON command protocol over TCP (send_message, send_reaction, receive_messages). "
            + $"receive_messages waits at most {DaemonOptions.MaxReceiveTimeoutMs} ms; longer timeouts are clamped.")
        {
            tcp,
            maxSize,
            server,
        };
        command.Aliases.Add("socket");
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new DaemonSettings(
                parseResult.GetValue(globals.Account),
                ConfigDirectory.Resolve(parseResult.GetValue(globals.Config)),
                parseResult.GetValue(globals.Verbose),
                parseResult.GetValue(tcp),
                parseResult.GetValue(maxSize))
            {
                ServerFile = parseResult.GetValue(server),
            };
            return RunAsync(settings, services, stderr, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(DaemonSettings settings, CliServices services, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!EndPointParser.TryParse(settings.Tcp, out var endPoint, out var endPointError))
        {
            await stderr.WriteLineAsync($"signal-sharp: {endPointError}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var maxCommandSize = DaemonOptions.DefaultMaxCommandSize;
        if (settings.MaxCommandSize is { } sizeText && !ByteSizeParser.TryParse(sizeText, out maxCommandSize))
        {
            await stderr.WriteLineAsync($"signal-sharp: --max-command-size {sizeText}: not a positive size in bytes (e.g. 134217728 or 128M)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await CommandFailures.RunAsync(stderr, $"account {settings.Account}: connecting to its server failed",
            () => ServeAsync(settings, endPoint, maxCommandSize, services, stderr, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<int> ServeAsync(DaemonSettings settings, IPEndPoint endPoint, long maxCommandSize, CliServices services, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        var serverOverride = ServerProfileFile.Load(settings.ServerFile);
        var account = await OpenAccountAsync(settings, serverOverride, services, stderr, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return ExitCodes.AccountProblem;
        }

        using var loggerFactory = Logging.Create(settings.Verbose);
        var options = new DaemonOptions { EndPoint = endPoint, MaxCommandSize = maxCommandSize };
        await using var server = new DaemonServer(account, options, loggerFactory);
        try
        {
            server.Start();
        }
        catch (SocketException e)
        {
            throw new CannotListenException($"cannot listen on {endPoint}: {e.Message}", e);
        }

        try
        {
            await WaitForStopAsync(services.StopRequested, cancellationToken).ConfigureAwait(false);
            await server.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            // The account's socket and database close after the last client command finished.
            if (account is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    private static async Task<ISignalAccount?> OpenAccountAsync(DaemonSettings settings, ServerProfile? serverOverride, CliServices services, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(settings.Account))
        {
            await stderr.WriteLineAsync(
                $"signal-sharp: no account given. Name one with -a/--account +NUMBER; accounts are kept in {settings.ConfigDirectory}. "
                + "To add one, link this device to your Signal account with `signal-sharp link`.").ConfigureAwait(false);
            return null;
        }

        if (!RecipientAddress.IsE164(settings.Account))
        {
            await stderr.WriteLineAsync(
                $"signal-sharp: account '{settings.Account}' is not a phone number in E.164 form ('+' then 7 to 15 digits, e.g. +4366412345678).").ConfigureAwait(false);
            return null;
        }

        var account = await services.Accounts.OpenAsync(settings.Account, settings.ConfigDirectory, serverOverride, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            await stderr.WriteLineAsync(
                $"signal-sharp: account {settings.Account} not found in {settings.ConfigDirectory}. "
                + $"Link this device to it first with `signal-sharp link` (or register the number with `signal-sharp -a {settings.Account} register`), "
                + $"then run `signal-sharp -a {settings.Account} daemon` again.").ConfigureAwait(false);
        }

        return account;
    }

    /// <summary>Until SIGINT or SIGTERM (or a test's token). A second signal terminates at once, the default way.</summary>
    private static async Task WaitForStopAsync(CancellationToken external, CancellationToken invocation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(external, invocation);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

internal sealed record DaemonSettings(string? Account, string ConfigDirectory, bool Verbose, string? Tcp, string? MaxCommandSize)
{
    /// <summary>`--server FILE`: a server profile that replaces the account's stored one for this run.</summary>
    public string? ServerFile { get; init; }
}
