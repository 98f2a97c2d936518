using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Cli.Commands;
using SignalSharp.JsonRpc;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Accounts;

/// <summary>
/// Every account under a config directory, opened for multi-account mode (`daemon` or `jsonRpc` without -a), each
/// with its JSON-RPC options; a daemon adds the accounts it links or registers while it runs. Disposing closes them all.
/// </summary>
internal sealed class AccountSet : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<ServedAccount> served;
    private readonly Opening opening;

    private AccountSet(List<ServedAccount> served, Opening opening)
    {
        this.served = served;
        this.opening = opening;
    }

    /// <summary>The accounts served now.</summary>
    public IReadOnlyList<ServedAccount> Served
    {
        get
        {
            lock (gate)
            {
                return [.. served];
            }
        }
    }

    /// <summary>
    /// The set, or null (explained on stderr) when the directory holds no account that opens and
    /// <paramref name="allowEmpty"/> is false (a daemon that can link or register accounts may start with none).
    /// </summary>
    public static async Task<AccountSet?> OpenAsync(string configDirectory, ServerProfile? serverOverride, NewIdentityTrust trust, JsonRpcSettings settings,
        CliServices services, TextWriter stderr, string command, CancellationToken cancellationToken, bool allowEmpty = false, AccountTuning? tuning = null)
    {
        var set = new AccountSet([], new Opening(configDirectory, serverOverride, trust, settings, services, tuning, stderr));
        try
        {
            foreach (var number in AccountDirectory.List(configDirectory))
            {
                if (await set.TryOpenAsync(number, cancellationToken).ConfigureAwait(false) is null)
                {
                    await stderr.WriteLineAsync($"signal-sharp: account {number}: its folder holds no linked account; it is not served").ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await set.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (set.served.Count == 0 && !allowEmpty)
        {
            await stderr.WriteLineAsync(
                $"signal-sharp: no account given and none kept in {configDirectory}. Link this device to your Signal account with "
                + $"`signal-sharp link` (or name one with -a/--account +NUMBER), then run `signal-sharp {command}` again.").ConfigureAwait(false);
            return null;
        }

        return set;
    }

    /// <summary>Opens and adds the account just made under <paramref name="number"/>.</summary>
    /// <exception cref="AccountNotLinkedException">Its folder holds no account.</exception>
    public async Task<ServedAccount> OpenNewAsync(string number, CancellationToken cancellationToken) =>
        await TryOpenAsync(number, cancellationToken).ConfigureAwait(false)
            ?? throw new AccountNotLinkedException(AccountDirectory.For(opening.ConfigDirectory, number));

    /// <summary>The multi-account front end over the set; <paramref name="provisioning"/> lets it make accounts.</summary>
    public JsonRpcFrontEnd CreateFrontEnd(Microsoft.Extensions.Logging.ILogger logger, IAccountProvisioning? provisioning = null) =>
        JsonRpcFrontEnd.ForAccounts(Served, new JsonRpcOptions("", opening.Settings.Mode, opening.Settings.IgnoreAttachments), logger, provisioning);

    public async ValueTask DisposeAsync()
    {
        foreach (var account in Served)
        {
            if (account.Account is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // The account is served once its store is open; its first connect goes on meanwhile and keeps trying while the
    // server cannot be reached, so one account's unreachable server neither stops the daemon nor holds up the others.
    private async Task<ServedAccount?> TryOpenAsync(string number, CancellationToken cancellationToken)
    {
        var opened = await opening.Services.Accounts.OpenConnectingAsync(number, opening.ConfigDirectory, opening.ServerOverride, opening.Trust, opening.Tuning,
                cancellationToken)
            .ConfigureAwait(false);
        if (opened is null)
        {
            return null;
        }

        opened.Account.SetSendReadReceipts(opening.Settings.SendReadReceipts);
        var one = new ServedAccount(opened.Account, opening.Settings.ToOptions(number, opening.ConfigDirectory));
        lock (gate)
        {
            served.Add(one);
        }

        ReportFailedStart(number, opened.Online);
        return one;
    }

    // Commands for the account are answered with the same error; the user also learns it where the daemon logs.
    private void ReportFailedStart(string number, Task online) =>
        _ = online.ContinueWith(failed => opening.Stderr.WriteLine($"signal-sharp: account {number}: it could not come up: {failed.Exception!.InnerException!.Message}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>How every account of the set is opened.</summary>
    private sealed record Opening(string ConfigDirectory, ServerProfile? ServerOverride, NewIdentityTrust Trust, JsonRpcSettings Settings, CliServices Services,
        AccountTuning? Tuning, TextWriter Stderr);
}
