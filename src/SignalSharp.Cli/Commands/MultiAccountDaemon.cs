using System.Net;
using System.Net.Sockets;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Hosting;
using SignalSharp.JsonRpc;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// `signal-sharp daemon` without -a: signal-cli's multi-account mode. Every account under the config directory is
/// served by one JSON-RPC front end; requests name theirs in <c>"account"</c>, and each account's control socket
/// takes one-shot commands. It may start with no account at all: startLink/finishLink and register/verify make
/// accounts, which are served at once. The seed's TCP commands name no account, so here the TCP listener speaks
/// JSON-RPC only, and on loopback only: --auth-token-file guards the seed listener, which this mode does not run.
/// </summary>
internal static class MultiAccountDaemon
{
    public static async Task<int> ServeAsync(DaemonSettings settings, IPEndPoint tcpEndPoint, IPEndPoint? httpEndPoint, CliServices services, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        if (settings.AuthTokenFile is not null || (settings.ServeSeedTcp && !IPAddress.IsLoopback(tcpEndPoint.Address)))
        {
            await stderr.WriteLineAsync("signal-sharp: without -a (multi-account mode) the daemon listens on loopback only and takes no "
                + "--auth-token-file; name the account with -a to serve it further").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var serverOverride = ServerProfileFile.Load(settings.ServerFile);
        var accounts = await AccountSet.OpenAsync(settings.ConfigDirectory, serverOverride, settings.TrustNewIdentities, settings.JsonRpc, services, stderr, "daemon",
            cancellationToken, allowEmpty: settings.StartsWithoutAccount, tuning: settings.Tuning).ConfigureAwait(false);
        if (accounts is null)
        {
            return ExitCodes.AccountProblem;
        }

        await using (accounts.ConfigureAwait(false))
        {
            if (accounts.Served.Count == 0)
            {
                await stderr.WriteLineAsync($"signal-sharp: no account kept in {settings.ConfigDirectory} yet; serving none until one is linked "
                    + "(JSON-RPC startLink, then finishLink) or registered (register, then verify)").ConfigureAwait(false);
            }

            using var notifier = SystemdNotifier.FromEnvironment(services.Environment);
            using var loggerFactory = Logging.Create(settings.Logs);
            await using var trim = IdleMemoryTrim.Start(loggerFactory.CreateLogger("SignalSharp.Memory"));
            JsonRpcChannels? channels = null;
            var provisioning = new DaemonProvisioning(settings.ConfigDirectory, serverOverride, loggerFactory,
                (number, ct) => ServeNewAsync(number, accounts, channels!, settings, stderr, notifier, ct));
            await using (provisioning.ConfigureAwait(false))
            {
                channels = new JsonRpcChannels(accounts.CreateFrontEnd(loggerFactory.CreateLogger("SignalSharp.JsonRpc"), provisioning), loggerFactory);
                await using (channels.ConfigureAwait(false))
                {
                    foreach (var served in accounts.Served)
                    {
                        ReportStop(served, settings, stderr, notifier);
                    }

                    try
                    {
                        await StartAsync(channels, settings, tcpEndPoint, httpEndPoint, accounts, services, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
                    {
                        throw new CannotListenException($"cannot listen: {e.Message}", e);
                    }

                    notifier?.Ready($"serving {accounts.Served.Count} accounts");
                    await StopSignals.WaitAsync(services.StopRequested, cancellationToken).ConfigureAwait(false);
                    notifier?.Stopping();
                }
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>An account just linked or registered: opened, served by the front end, given its control socket.</summary>
    private static async Task ServeNewAsync(string number, AccountSet accounts, JsonRpcChannels channels, DaemonSettings settings, TextWriter stderr,
        SystemdNotifier? notifier, CancellationToken cancellationToken)
    {
        var served = await accounts.OpenNewAsync(number, cancellationToken).ConfigureAwait(false);
        ReportStop(served, settings, stderr, notifier);
        await StartControlSocketAsync(channels, settings, number, cancellationToken).ConfigureAwait(false);
        channels.FrontEnd.AddAccount(served);
        notifier?.Status($"serving {accounts.Served.Count} accounts");
    }

    /// <summary>The daemon keeps serving a stopped account (sends are answered with why); the user learns here what to do.</summary>
    private static void ReportStop(ServedAccount served, DaemonSettings settings, TextWriter stderr, SystemdNotifier? notifier) =>
        _ = served.Account.Stopped.ContinueWith(stop =>
            {
                // JSON logs stay one object per line: there the account's own log line says it.
                if (settings.Logs.Format == LogFormat.Text)
                {
                    stderr.WriteLine($"signal-sharp: account {served.Number}: {stop.Result.Message}. The daemon keeps serving; sends fail until then.");
                }

                notifier?.Status($"account {served.Number} stopped: {stop.Result.Reason}");
            },
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private static async Task StartAsync(JsonRpcChannels channels, DaemonSettings settings, IPEndPoint tcpEndPoint, IPEndPoint? httpEndPoint, AccountSet accounts,
        CliServices services, CancellationToken cancellationToken)
    {
        var inherited = services.TakeInheritedSockets();
        if (inherited.Count > 0)
        {
            // Socket activation: the unit's sockets decide the addresses; here every one of them speaks JSON-RPC.
            foreach (var socket in inherited)
            {
                channels.StartSocket(socket);
            }
        }
        else
        {
            if (settings.ServeSeedTcp)
            {
                channels.StartTcp(tcpEndPoint);
            }

            if (settings.SocketPath is { } socketPath)
            {
                channels.StartSocket(socketPath);
            }
        }

        foreach (var served in accounts.Served)
        {
            await StartControlSocketAsync(channels, settings, served.Number, cancellationToken).ConfigureAwait(false);
        }

        if (httpEndPoint is not null)
        {
            await channels.StartHttpAsync(httpEndPoint, EndPointParser.HostOf(settings.Http), null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task StartControlSocketAsync(JsonRpcChannels channels, DaemonSettings settings, string number, CancellationToken cancellationToken)
    {
        var controlPath = OneShot.ControlSocket.PathFor(settings.ConfigDirectory, number);
        if (await OneShot.ControlSocket.IsServedAsync(controlPath, cancellationToken).ConfigureAwait(false))
        {
            throw new IOException($"another daemon already serves {number} (its socket {controlPath} answers)");
        }

        channels.StartControlSocket(controlPath);
    }
}
