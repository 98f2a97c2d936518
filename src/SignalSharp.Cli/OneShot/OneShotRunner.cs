using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Cli.Accounts;
using SignalSharp.JsonRpc;
using SignalSharp.JsonRpc.Session;

namespace SignalSharp.Cli.OneShot;

/// <summary>
/// Runs one JSON-RPC method for a one-shot command: through the daemon that serves the account when one does (so
/// the account is never opened twice), otherwise on the account opened here, with the same front end and so the
/// same answer either way.
/// </summary>
internal sealed class OneShotRunner(CliServices services, TextWriter stderr)
{
    /// <summary>
    /// Calls <paramref name="method"/> and hands its answer object to <paramref name="present"/> (which prints it and
    /// returns the exit code). In-process, received items are confirmed only after <paramref name="present"/> returned.
    /// </summary>
    public async Task<int> CallAsync(string? number, string configDirectory, NewIdentityTrust trust, string method, JsonObject parameters,
        Func<JsonObject, Task<int>> present, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(number) || !RecipientAddress.IsE164(number))
        {
            // The launcher explains what is wrong with the account option.
            await AccountLauncher.OpenAsync(number, configDirectory, null, trust, services, stderr, method, cancellationToken).ConfigureAwait(false);
            return ExitCodes.AccountProblem;
        }

        var line = DaemonClient.RequestLine(number, method, parameters);
        if (await DaemonClient.TryCallAsync(ControlSocket.PathFor(configDirectory, number), line, cancellationToken).ConfigureAwait(false) is { } viaDaemon)
        {
            return await present(viaDaemon).ConfigureAwait(false);
        }

        return await CommandFailures.RunAsync(stderr, $"account {number}: connecting to its server failed",
            () => RunDirectlyAsync(number, configDirectory, trust, method, line, present, cancellationToken)).ConfigureAwait(false);
    }

    // No daemon serves the account: this process opens it, runs the one request and closes it again.
    private async Task<int> RunDirectlyAsync(string number, string configDirectory, NewIdentityTrust trust, string method, byte[] line,
        Func<JsonObject, Task<int>> present, CancellationToken cancellationToken)
    {
        var account = await AccountLauncher.OpenAsync(number, configDirectory, null, trust, services, stderr, method, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return ExitCodes.AccountProblem;
        }

        try
        {
            var frontEnd = new JsonRpcFrontEnd(account, new Commands.JsonRpcSettings(ReceiveMode.Manual, false, false).ToOptions(number, configDirectory));
            var output = new PresentedAnswer(present);
            var connection = frontEnd.CreateRequestConnection(output);
            await using (connection.ConfigureAwait(false))
            {
                await connection.ProcessLineAsync(line, cancellationToken).ConfigureAwait(false);
            }

            return output.ExitCode ?? throw new InvalidOperationException("the front end answered nothing");
        }
        finally
        {
            if (account is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Presents the one answer of an in-process call as it is written.</summary>
    private sealed class PresentedAnswer(Func<JsonObject, Task<int>> present) : IJsonRpcOutput
    {
        public int? ExitCode { get; private set; }

        public async Task WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken) =>
            ExitCode = await present(JsonNode.Parse(lines.Span)!.AsObject()).ConfigureAwait(false);
    }
}
