using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Hosting;
using SignalSharp.Account.Api;
using SignalSharp.Daemon.Server;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// `signal-sharp [-a NUMBER] daemon [--tcp[=HOST:PORT]] [--socket[=PATH]] [--http[=HOST:PORT]]` (alias `socket`):
/// serve one account (without -a, every account in the config directory: <see cref="MultiAccountDaemon"/>) until SIGINT or SIGTERM, then stop accepting, give commands in progress a few seconds, and exit
/// 0. The TCP listener speaks the seed's JSON commands and, to a connection whose first object is a JSON-RPC request,
/// signal-cli's JSON-RPC; without any channel option it listens where the seed always did (127.0.0.1:6789).
/// </summary>
internal static class DaemonCommand
{
    public static Command Create(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var tcp = new Option<string?>("--tcp")
        {
            Description = $"Listen on this TCP address for the JSON commands and signal-cli's JSON-RPC (told apart by the first object) "
                + $"[default: 127.0.0.1:{EndPointParser.JsonRpcTcpPort}; {EndPointParser.Default} without any channel option or as `socket`]. "
                + "A non-loopback address prints a warning unless --auth-token-file is given: the protocol has no other authentication",
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
        var socket = new Option<string?>("--socket")
        {
            Description = $"Serve signal-cli's JSON-RPC on this UNIX socket (0600, in a 0700 folder) [default: {JsonRpc.Transport.UnixSocketPath.Default()}]",
            HelpName = "PATH",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var http = new Option<string?>("--http")
        {
            Description = $"Serve signal-cli's JSON-RPC over HTTP: POST /api/v1/rpc, GET /api/v1/events (SSE), GET /api/v1/check "
                + $"[default: 127.0.0.1:{EndPointParser.HttpPort}]",
            HelpName = "HOST:PORT",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var authTokenFile = new Option<string?>("--auth-token-file")
        {
            Description = "Require this file's secret from every TCP client: its first object carries \"authToken\" "
                + "(e.g. {command:'auth',authToken:'…'}); without it, every command is answered with an error and the "
                + "connection closes. Over --http every rpc and events request carries \"Authorization: Bearer TOKEN\" "
                + "or is answered 401. Meant for a non-loopback --tcp or --http address",
            HelpName = "FILE",
        };
        var noReceiveStdout = new Option<bool>("--no-receive-stdout")
        {
            Description = "Accepted for signal-cli compatibility: received messages are never printed to stdout",
        };
        var keepDelivered = new Option<string?>("--keep-delivered")
        {
            Description = "How long a message stays on disk after a client took it, for clients that re-read "
                + "(0, 90s, 10m, 2h, 7d; view-once messages go at once) [default: 10m]",
            HelpName = "DURATION",
        };
        var receive = new ReceiveOptionSet();
        var command = new Command("daemon",
            "Serve the JSON command protocol over TCP (send_message, send_reaction, receive_messages) and signal-cli's JSON-RPC; "
            + "without -a, every account in the config directory over JSON-RPC (requests name their \"account\"). "
            + $"receive_messages waits at most {DaemonOptions.MaxReceiveTimeoutMs} ms; longer timeouts are clamped.")
        {
            tcp,
            maxSize,
            server,
            socket,
            http,
            authTokenFile,
            noReceiveStdout,
            keepDelivered,
        };
        receive.AddTo(command);
        command.Aliases.Add("socket");
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new DaemonSettings(
                parseResult.GetValue(globals.Account),
                ConfigDirectory.Resolve(parseResult.GetValue(globals.Config)),
                globals.ReadLogs(parseResult),
                parseResult.GetValue(tcp),
                parseResult.GetValue(maxSize))
            {
                ServerFile = parseResult.GetValue(server),
                KeepDelivered = parseResult.GetValue(keepDelivered),
                AuthTokenFile = parseResult.GetValue(authTokenFile),
                TrustNewIdentities = GlobalOptions.ParseTrust(parseResult.GetValue(globals.TrustNewIdentities)),
                SocketPath = parseResult.GetResult(socket) is null ? null : parseResult.GetValue(socket) ?? "",
                Http = parseResult.GetResult(http) is null ? null : parseResult.GetValue(http) ?? "",
                ServeSeedTcp = parseResult.GetResult(tcp) is not null || (parseResult.GetResult(socket) is null && parseResult.GetResult(http) is null),
                // signal-cli's port when its option is named under signal-cli's command name; the seed's otherwise.
                TcpDefaultPort = parseResult.GetResult(tcp) is not null && parseResult.CommandResult.IdentifierToken.Value == "daemon"
                    ? EndPointParser.JsonRpcTcpPort
                    : DaemonOptions.DefaultPort,
                JsonRpc = receive.Read(parseResult),
                // The seed's `socket` serves an account it is given; signal-cli's `daemon` may start empty and make them.
                StartsWithoutAccount = parseResult.CommandResult.IdentifierToken.Value == "daemon",
            };
            return RunAsync(settings, services, stderr, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(DaemonSettings settings, CliServices services, TextWriter stderr, CancellationToken cancellationToken)
    {
        // The account's first TLS handshake waits for the system trust store (tens of milliseconds of parsing, the
        // longest single step before the account is online): its load starts here, before the options are checked
        // and the account's database opens.
        Service.Profiles.SystemTrustStoreWarmUp.Start();
        if (!EndPointParser.TryParse(settings.Tcp, settings.TcpDefaultPort, "--tcp", out var endPoint, out var endPointError))
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

        if (settings.KeepDelivered is { } keepText && !Hosting.DurationParser.TryParse(keepText, out _))
        {
            await stderr.WriteLineAsync($"signal-sharp: --keep-delivered {keepText}: not a duration (e.g. 0, 90s, 10m, 2h or 7d)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        IPEndPoint? httpEndPoint = null;
        if (settings.Http is { } httpText && !EndPointParser.TryParse(httpText, EndPointParser.HttpPort, "--http", out httpEndPoint, out var httpError))
        {
            await stderr.WriteLineAsync($"signal-sharp: {httpError}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (string.IsNullOrEmpty(settings.Account))
        {
            return await CommandFailures.RunAsync(stderr, "multi-account mode: connecting to an account's server failed",
                () => MultiAccountDaemon.ServeAsync(settings, endPoint, httpEndPoint, services, stderr, cancellationToken)).ConfigureAwait(false);
        }

        AuthToken? authToken = null;
        if (settings.AuthTokenFile is { } tokenFile)
        {
            try
            {
                authToken = AuthToken.FromFile(tokenFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"signal-sharp: --auth-token-file {tokenFile}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }

        var options = new DaemonOptions { EndPoint = endPoint, MaxCommandSize = maxCommandSize, AuthToken = authToken };
        return await CommandFailures.RunAsync(stderr, $"account {settings.Account}: connecting to its server failed",
            () => ServeAsync(settings, options, httpEndPoint, services, stderr, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<int> ServeAsync(DaemonSettings settings, DaemonOptions options, IPEndPoint? httpEndPoint, CliServices services,
        TextWriter stderr, CancellationToken cancellationToken)
    {
        var serverOverride = ServerProfileFile.Load(settings.ServerFile);
        // SIGINT/SIGTERM count from here: a stop while the account still connects ends the connect and exits 0.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(services.StopRequested, cancellationToken);
        using var signals = StopSignals.Register(stop);
        // The store opens here (an unknown account is refused before anything listens); the server connect runs on
        // while the listeners open, and commands that need the server wait for it rather than clients for the listener.
        var opened = await AccountLauncher.OpenConnectingAsync(settings.Account, settings.ConfigDirectory, serverOverride, settings.TrustNewIdentities, services, stderr,
            "daemon", stop.Token, settings.Tuning).ConfigureAwait(false);
        if (opened is null)
        {
            return ExitCodes.AccountProblem;
        }

        var account = opened.Account;
        account.SetSendReadReceipts(settings.JsonRpc.SendReadReceipts);
        using var notifier = SystemdNotifier.FromEnvironment(services.Environment);

        // The daemon keeps serving a stopped account (sends are answered with why); the user learns here what to do.
        _ = account.Stopped.ContinueWith(stopped =>
            {
                // JSON logs stay one object per line: there the account's own log line (AccountStopped) says it.
                if (settings.Logs.Format == LogFormat.Text)
                {
                    stderr.WriteLine($"signal-sharp: account {settings.Account}: {stopped.Result.Message}. The daemon keeps serving; sends fail until then.");
                }
                notifier?.Status($"account stopped: {stopped.Result.Reason}");
            },
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        using var loggerFactory = Logging.Create(settings.Logs);
        await using var trim = IdleMemoryTrim.Start(loggerFactory.CreateLogger("SignalSharp.Memory"));
        var channels = new JsonRpcChannels(account, settings.Account!, settings.ConfigDirectory, settings.JsonRpc, loggerFactory);
        await using var server = new DaemonServer(account, options, loggerFactory, channels.TcpHandOff);
        try
        {
            await ListenAsync(settings, options, httpEndPoint, services, server, channels, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            await CloseAsync(channels, opened, stop).ConfigureAwait(false);
            throw new CannotListenException($"cannot listen: {e.Message}", e);
        }

        Exception? failedToComeUp;
        try
        {
            failedToComeUp = await ServeUntilStoppedAsync(opened.Online, notifier, stop.Token).ConfigureAwait(false);
            notifier?.Stopping();
            await server.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            // The account's socket and database close after the last client command finished.
            await CloseAsync(channels, opened, stop).ConfigureAwait(false);
        }

        if (failedToComeUp is not null)
        {
            // As before listeners opened early: the command line names why the account could not come up, with its exit
            // code; commands that waited for it were answered with the same error.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failedToComeUp);
        }

        return ExitCodes.Success;
    }

    private static async Task ListenAsync(DaemonSettings settings, DaemonOptions options, IPEndPoint? httpEndPoint, CliServices services, DaemonServer server,
        JsonRpcChannels channels, CancellationToken cancellationToken)
    {
        var inherited = services.TakeInheritedSockets();
        if (inherited.Count > 0)
        {
            StartInherited(inherited, server, channels);
        }
        else
        {
            if (settings.ServeSeedTcp)
            {
                server.Start();
            }

            if (settings.SocketPath is { } socketPath)
            {
                channels.StartSocket(socketPath);
            }
        }

        var controlPath = OneShot.ControlSocket.PathFor(settings.ConfigDirectory, settings.Account!);
        if (await OneShot.ControlSocket.IsServedAsync(controlPath, cancellationToken).ConfigureAwait(false))
        {
            throw new IOException($"another daemon already serves {settings.Account} (its socket {controlPath} answers)");
        }

        channels.StartControlSocket(controlPath);

        if (httpEndPoint is not null)
        {
            await channels.StartHttpAsync(httpEndPoint, EndPointParser.HostOf(settings.Http), options.AuthToken, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Serves until a stop is asked for; returns why the account could not come up when it could not (the daemon
    /// then stops as it would have before listening). A supervisor hears "ready" once the account is up.
    /// </summary>
    private static async Task<Exception?> ServeUntilStoppedAsync(Task online, SystemdNotifier? notifier, CancellationToken stop)
    {
        var stopped = Task.Delay(Timeout.Infinite, stop);
        await Task.WhenAny(online, stopped).ConfigureAwait(false);
        // A stop asked for while the account connected ends the connect too; that is a stop, not a failure.
        if (!stop.IsCancellationRequested)
        {
            if (online.IsFaulted)
            {
                return online.Exception!.InnerException;
            }

            notifier?.Ready("serving its account");
        }

        await stopped.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return null;
    }

    /// <summary>
    /// Socket activation: the daemon serves exactly the sockets systemd handed over, in place of --tcp and --socket
    /// (the TCP one speaks both protocols, a UNIX one JSON-RPC), so the unit's socket file decides the addresses.
    /// </summary>
    private static void StartInherited(IReadOnlyList<Socket> inherited, DaemonServer server, JsonRpcChannels channels)
    {
        var tcp = inherited.Where(SystemdSockets.IsTcp).ToList();
        if (tcp.Count > 1)
        {
            throw new IOException($"systemd passed {tcp.Count} TCP sockets; the daemon serves one TCP listener (give the socket unit one TCP ListenStream=)");
        }

        if (tcp.Count == 1)
        {
            server.Start(tcp[0]);
        }

        foreach (var unix in inherited.Where(socket => socket.AddressFamily == AddressFamily.Unix))
        {
            channels.StartSocket(unix);
        }
    }

    /// <summary>Closes the channels, ends a connect still under way, then closes the account.</summary>
    private static async Task CloseAsync(JsonRpcChannels channels, ConnectingAccount opened, CancellationTokenSource stop)
    {
        await channels.DisposeAsync().ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        // Its failure, if any, was reported already; here it only has to be over before the account closes.
        await opened.Online.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (opened.Account is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }
}

internal sealed record DaemonSettings(string? Account, string ConfigDirectory, Hosting.LogSettings Logs, string? Tcp, string? MaxCommandSize)
{
    /// <summary>`--server FILE`: a server profile that replaces the account's stored one for this run.</summary>
    public string? ServerFile { get; init; }

    /// <summary>`--auth-token-file FILE`: TCP clients (first object) and HTTP requests (Bearer) must show the secret in this file.</summary>
    public string? AuthTokenFile { get; init; }

    /// <summary>`--trust-new-identities`: which contact identity keys count as trusted without a trust command.</summary>
    public NewIdentityTrust TrustNewIdentities { get; init; } = NewIdentityTrust.OnFirstUse;

    /// <summary>`--socket[=PATH]`: null when not given, empty for the default path.</summary>
    public string? SocketPath { get; init; }

    /// <summary>`--http[=HOST:PORT]`: null when not given, empty for the default address.</summary>
    public string? Http { get; init; }

    /// <summary>Whether the TCP listener runs: with --tcp, or when no other channel was named.</summary>
    public bool ServeSeedTcp { get; init; } = true;

    /// <summary>The port when --tcp names none: signal-cli's 7583 for `daemon --tcp`, else the seed's 6789.</summary>
    public int TcpDefaultPort { get; init; } = DaemonOptions.DefaultPort;

    public JsonRpcSettings JsonRpc { get; init; } = JsonRpcSettings.Default;

    /// <summary>`--keep-delivered DURATION` as written; checked before anything starts.</summary>
    public string? KeepDelivered { get; init; }

    /// <summary>The checked `--keep-delivered`, or null for the account's default.</summary>
    public TimeSpan? KeepDeliveredTime => KeepDelivered is { } text && Hosting.DurationParser.TryParse(text, out var keep) ? keep : null;

    /// <summary>How the served accounts run: `--keep-delivered` and `--receive-stories`.</summary>
    public AccountTuning Tuning => new(KeepDeliveredTime, JsonRpc.ReceiveStories);

    /// <summary>Multi-account mode may start with no account kept yet (JSON-RPC then links or registers them).</summary>
    public bool StartsWithoutAccount { get; init; }
}
