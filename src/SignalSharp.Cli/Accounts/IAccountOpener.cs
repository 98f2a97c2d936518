using Microsoft.Extensions.Logging;
using SignalSharp.Account;
using SignalSharp.Account.Storage;
using SignalSharp.Daemon.Account;

namespace SignalSharp.Cli.Accounts;

/// <summary>Opens a linked account from the data directory.</summary>
internal interface IAccountOpener
{
    /// <summary>The account, or null when the directory holds no such account.</summary>
    Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken);
}

/// <summary>
/// Opens the account linked under <c>DIR/accounts/+NUMBER</c> (see <c>signal-sharp link</c>), connects it and starts
/// its background receiver. The daemon disposes it on shutdown.
/// </summary>
internal sealed class StoredAccountOpener(ILoggerFactory? loggerFactory = null) : IAccountOpener
{
    public async Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory?.CreateLogger("SignalSharp.Account");
        var account = await LinkedAccount.OpenAsync(AccountDirectory.For(configDirectory, phoneNumber), logger, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return null;
        }

        try
        {
            await account.StartAsync(cancellationToken).ConfigureAwait(false);
            return account;
        }
        catch
        {
            await account.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
