using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Cli.Commands;
using SignalSharp.JsonRpc;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Accounts;

/// <summary>
/// Every account under a config directory, opened for multi-account mode (`daemon` or `jsonRpc` without -a), each
/// with its JSON-RPC options; disposing closes them all.
/// </summary>
internal sealed class AccountSet : IAsyncDisposable
{
    private AccountSet(IReadOnlyList<ServedAccount> served) => Served = served;

    public IReadOnlyList<ServedAccount> Served { get; }

    /// <summary>The set, or null (explained on stderr) when the directory holds no account that opens.</summary>
    public static async Task<AccountSet?> OpenAsync(string configDirectory, ServerProfile? serverOverride, NewIdentityTrust trust, JsonRpcSettings settings,
        CliServices services, TextWriter stderr, string command, CancellationToken cancellationToken)
    {
        var served = new List<ServedAccount>();
        try
        {
            foreach (var number in AccountDirectory.List(configDirectory))
            {
                var account = await services.Accounts.OpenAsync(number, configDirectory, serverOverride, trust, cancellationToken).ConfigureAwait(false);
                if (account is null)
                {
                    await stderr.WriteLineAsync($"signal-sharp: account {number}: its folder holds no linked account; it is not served").ConfigureAwait(false);
                    continue;
                }

                account.SetSendReadReceipts(settings.SendReadReceipts);
                served.Add(new ServedAccount(account, settings.ToOptions(number, configDirectory)));
            }
        }
        catch
        {
            await new AccountSet(served).DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (served.Count == 0)
        {
            await stderr.WriteLineAsync(
                $"signal-sharp: no account given and none kept in {configDirectory}. Link this device to your Signal account with "
                + $"`signal-sharp link` (or name one with -a/--account +NUMBER), then run `signal-sharp {command}` again.").ConfigureAwait(false);
            return null;
        }

        return new AccountSet(served);
    }

    /// <summary>The multi-account front end over the set.</summary>
    public JsonRpcFrontEnd CreateFrontEnd(JsonRpcSettings settings, Microsoft.Extensions.Logging.ILogger logger) =>
        JsonRpcFrontEnd.ForAccounts(Served, new JsonRpcOptions("", settings.Mode, settings.IgnoreAttachments), logger);

    public async ValueTask DisposeAsync()
    {
        foreach (var served in Served)
        {
            if (served.Account is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
