using SignalSharp.Account.Api;
using System.CommandLine;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Hosting;
using SignalSharp.JsonRpc;
using SignalSharp.Service;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// `signal-sharp -a NUMBER jsonRpc`: signal-cli's JSON-RPC on stdin/stdout (one object per line) until stdin ends or
/// SIGINT/SIGTERM; logs go to stderr.
/// </summary>
internal static class JsonRpcCommand
{
    public static Command Create(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var receive = new ReceiveOptionSet();
        var command = new Command("jsonRpc", "Speak signal-cli's JSON-RPC 2.0 on stdin and stdout");
        receive.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(globals.Account),
            ConfigDirectory.Resolve(parseResult.GetValue(globals.Config)),
            globals.ReadLogs(parseResult),
            GlobalOptions.ParseTrust(parseResult.GetValue(globals.TrustNewIdentities)),
            receive.Read(parseResult),
            services,
            stderr,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? number, string configDirectory, Hosting.LogSettings logs, NewIdentityTrust trust, JsonRpcSettings settings, CliServices services,
        TextWriter stderr, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(number))
        {
            return await ServeAllAsync(configDirectory, logs, trust, settings, services, stderr, cancellationToken).ConfigureAwait(false);
        }

        Account.Api.ISignalAccount? account;
        try
        {
            account = await AccountLauncher.OpenAsync(number, configDirectory, null, trust, services, stderr, "jsonRpc", cancellationToken,
                new AccountTuning(ReceiveStories: settings.ReceiveStories)).ConfigureAwait(false);
        }
        catch (ServiceException e)
        {
            await stderr.WriteLineAsync($"signal-sharp: account {number}: connecting to its server failed: {e.Message}").ConfigureAwait(false);
            return ExitCodes.AccountProblem;
        }

        if (account is null)
        {
            return ExitCodes.AccountProblem;
        }

        account.SetSendReadReceipts(settings.SendReadReceipts);
        using var loggerFactory = Logging.Create(logs);
        try
        {
            await ServeAsync(new JsonRpcFrontEnd(account, settings.ToOptions(number, configDirectory), loggerFactory.CreateLogger("SignalSharp.JsonRpc")), services,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (account is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>signal-cli's multi-account mode: every account in the config directory, requests naming theirs.</summary>
    private static async Task<int> ServeAllAsync(string configDirectory, Hosting.LogSettings logs, NewIdentityTrust trust, JsonRpcSettings settings, CliServices services,
        TextWriter stderr, CancellationToken cancellationToken)
    {
        return await CommandFailures.RunAsync(stderr, "multi-account mode: connecting to an account's server failed", async () =>
        {
            var accounts = await AccountSet.OpenAsync(configDirectory, null, trust, settings, services, stderr, "jsonRpc", cancellationToken,
                tuning: new AccountTuning(ReceiveStories: settings.ReceiveStories)).ConfigureAwait(false);
            if (accounts is null)
            {
                return ExitCodes.AccountProblem;
            }

            await using (accounts.ConfigureAwait(false))
            {
                using var loggerFactory = Logging.Create(logs);
                await ServeAsync(accounts.CreateFrontEnd(loggerFactory.CreateLogger("SignalSharp.JsonRpc")), services, cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }).ConfigureAwait(false);
    }

    private static async Task ServeAsync(JsonRpcFrontEnd frontEnd, CliServices services, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(services.StopRequested, cancellationToken);
        using var signals = StopSignals.Register(stop);
        var input = services.StandardInput ?? Console.OpenStandardInput();
        var output = services.StandardOutput ?? Console.OpenStandardOutput();
        var session = frontEnd.ServeAsync(input, output, stop.Token);

        // A read from a terminal or pipe may not notice the cancellation: stop waiting for it on a signal.
        await Task.WhenAny(session, Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
    }
}
