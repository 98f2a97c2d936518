using SignalSharp.Account.Api;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Accounts;

/// <summary>Opens the account a serving command (daemon, jsonRpc) names, explaining on stderr why when it cannot.</summary>
internal static class AccountLauncher
{
    public static async Task<ISignalAccount?> OpenAsync(string? number, string configDirectory, ServerProfile? serverOverride, NewIdentityTrust trust,
        CliServices services, TextWriter stderr, string command, CancellationToken cancellationToken, AccountTuning? tuning = null)
    {
        if (!await IsAccountNameAsync(number, configDirectory, stderr).ConfigureAwait(false))
        {
            return null;
        }

        var account = await services.Accounts.OpenAsync(number!, configDirectory, serverOverride, trust, tuning, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            await NotFoundAsync(number!, configDirectory, stderr, command).ConfigureAwait(false);
        }

        return account;
    }

    /// <summary>As <see cref="OpenAsync"/>, returning as soon as the store is open; the account connects meanwhile.</summary>
    public static async Task<ConnectingAccount?> OpenConnectingAsync(string? number, string configDirectory, ServerProfile? serverOverride, NewIdentityTrust trust,
        CliServices services, TextWriter stderr, string command, CancellationToken cancellationToken, AccountTuning? tuning = null)
    {
        if (!await IsAccountNameAsync(number, configDirectory, stderr).ConfigureAwait(false))
        {
            return null;
        }

        var opened = await services.Accounts.OpenConnectingAsync(number!, configDirectory, serverOverride, trust, tuning, cancellationToken).ConfigureAwait(false);
        if (opened is null)
        {
            await NotFoundAsync(number!, configDirectory, stderr, command).ConfigureAwait(false);
        }

        return opened;
    }

    private static async Task<bool> IsAccountNameAsync(string? number, string configDirectory, TextWriter stderr)
    {
        if (string.IsNullOrEmpty(number))
        {
            await stderr.WriteLineAsync(
                $"signal-sharp: no account given. Name one with -a/--account +NUMBER; accounts are kept in {configDirectory}. "
                + "To add one, link this device to your Signal account with `signal-sharp link`.").ConfigureAwait(false);
            return false;
        }

        if (!Commands.AccountNumber.IsAccountName(number))
        {
            await stderr.WriteLineAsync(Commands.AccountNumber.NotAnAccountName(number)).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private static Task NotFoundAsync(string number, string configDirectory, TextWriter stderr, string command) =>
        stderr.WriteLineAsync(
            $"signal-sharp: account {number} not found in {configDirectory}. "
            + $"Link this device to it first with `signal-sharp link` (or register the number with `signal-sharp -a {number} register`), "
            + $"then run `signal-sharp -a {number} {command}` again.");
}
