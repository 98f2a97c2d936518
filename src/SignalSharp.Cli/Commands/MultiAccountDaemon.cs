using System.Net;
using System.Net.Sockets;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Hosting;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// `signal-sharp daemon` without -a: signal-cli's multi-account mode. Every account under the config directory is
/// served by one JSON-RPC front end; requests name theirs in <c>"account"</c>, and each account's control socket
/// takes one-shot commands. The seed's TCP commands name no account, so here the TCP listener speaks JSON-RPC only,
/// and on loopback only: --auth-token-file guards the seed listener, which this mode does not run.
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
            cancellationToken).ConfigureAwait(false);
        if (accounts is null)
        {
            return ExitCodes.AccountProblem;
        }

        await using (accounts.ConfigureAwait(false))
        {
            foreach (var served in accounts.Served)
            {
                // JSON logs stay one object per line: there the account's own log line says it.
                if (settings.Logs.Format == Hosting.LogFormat.Text)
                {
                    _ = served.Account.Stopped.ContinueWith(stop => stderr.WriteLine($"signal-sharp: account {served.Number}: {stop.Result.Message}. The daemon keeps serving; sends fail until then."),
                        CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                }
            }

            using var loggerFactory = Logging.Create(settings.Logs);
            var channels = new JsonRpcChannels(accounts.CreateFrontEnd(settings.JsonRpc, loggerFactory.CreateLogger("SignalSharp.JsonRpc")), loggerFactory);
            await using (channels.ConfigureAwait(false))
            {
                try
                {
                    await StartAsync(channels, settings, tcpEndPoint, httpEndPoint, accounts, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
                {
                    throw new CannotListenException($"cannot listen: {e.Message}", e);
                }

                await StopSignals.WaitAsync(services.StopRequested, cancellationToken).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    private static async Task StartAsync(JsonRpcChannels channels, DaemonSettings settings, IPEndPoint tcpEndPoint, IPEndPoint? httpEndPoint, AccountSet accounts,
        CancellationToken cancellationToken)
    {
        if (settings.ServeSeedTcp)
        {
            channels.StartTcp(tcpEndPoint);
        }

        if (settings.SocketPath is { } socketPath)
        {
            channels.StartSocket(socketPath);
        }

        foreach (var served in accounts.Served)
        {
            var controlPath = OneShot.ControlSocket.PathFor(settings.ConfigDirectory, served.Number);
            if (await OneShot.ControlSocket.IsServedAsync(controlPath, cancellationToken).ConfigureAwait(false))
            {
                throw new IOException($"another daemon already serves {served.Number} (its socket {controlPath} answers)");
            }

            channels.StartControlSocket(controlPath);
        }

        if (httpEndPoint is not null)
        {
            await channels.StartHttpAsync(httpEndPoint, EndPointParser.HostOf(settings.Http), null, cancellationToken).ConfigureAwait(false);
        }
    }
}
