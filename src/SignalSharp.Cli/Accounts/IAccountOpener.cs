using Microsoft.Extensions.Logging;
using SignalSharp.Account;
using SignalSharp.Account.Storage;
using SignalSharp.Account.Api;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Accounts;

/// <summary>Opens a linked account from the data directory.</summary>
internal interface IAccountOpener
{
    /// <summary>The account, or null when the directory holds no such account.</summary>
    Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken);

    /// <summary>As above, reaching <paramref name="server"/> instead of the server stored with the account when it is given.</summary>
    Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, ServerProfile? server, CancellationToken cancellationToken) =>
        server is null
            ? OpenAsync(phoneNumber, configDirectory, cancellationToken)
            : throw new NotSupportedException("this account opener cannot choose a server");

    /// <summary>As above, with the account's policy for contacts' new identity keys (`--trust-new-identities`).</summary>
    Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, ServerProfile? server, NewIdentityTrust trust, CancellationToken cancellationToken) =>
        trust == NewIdentityTrust.OnFirstUse
            ? OpenAsync(phoneNumber, configDirectory, server, cancellationToken)
            : throw new NotSupportedException("this account opener cannot choose a trust policy");

    /// <summary>
    /// As above, but returns once the account's store is open, with its connect to the server still under way
    /// (<see cref="ConnectingAccount.Online"/>), so that a daemon can listen meanwhile; the account's calls that need
    /// the server wait for it. An opener that cannot split the two returns the account online.
    /// </summary>
    async Task<ConnectingAccount?> OpenConnectingAsync(string phoneNumber, string configDirectory, ServerProfile? server, NewIdentityTrust trust,
        CancellationToken cancellationToken) =>
        await OpenAsync(phoneNumber, configDirectory, server, trust, cancellationToken).ConfigureAwait(false) is { } account
            ? new ConnectingAccount(account, Task.CompletedTask)
            : null;

    /// <summary>As above, tuned by <paramref name="tuning"/> (`--keep-delivered`, `--receive-stories`) when it is given.</summary>
    Task<ConnectingAccount?> OpenConnectingAsync(string phoneNumber, string configDirectory, ServerProfile? server, NewIdentityTrust trust, AccountTuning? tuning,
        CancellationToken cancellationToken) =>
        tuning is null || tuning.IsDefault
            ? OpenConnectingAsync(phoneNumber, configDirectory, server, trust, cancellationToken)
            : throw new NotSupportedException("this account opener cannot tune the accounts it opens");

    /// <summary>As <see cref="OpenAsync(string, string, ServerProfile?, NewIdentityTrust, CancellationToken)"/>, with `--keep-delivered`.</summary>
    async Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, ServerProfile? server, NewIdentityTrust trust, AccountTuning? tuning,
        CancellationToken cancellationToken)
    {
        if (tuning is null || tuning.IsDefault)
        {
            return await OpenAsync(phoneNumber, configDirectory, server, trust, cancellationToken).ConfigureAwait(false);
        }

        if (await OpenConnectingAsync(phoneNumber, configDirectory, server, trust, tuning, cancellationToken).ConfigureAwait(false) is not { } opened)
        {
            return null;
        }

        try
        {
            await opened.Online.ConfigureAwait(false);
            return opened.Account;
        }
        catch
        {
            if (opened.Account is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }
}

/// <summary>
/// An account whose store is open and whose first connect is under way: <see cref="Online"/> completes when it is
/// served (connected, or refused by the server and so stopped, see <see cref="ISignalAccount.Stopped"/>), and faults
/// with the server's error when it could not come up.
/// </summary>
internal sealed record ConnectingAccount(ISignalAccount Account, Task Online);

/// <summary>
/// Opens the account linked under <c>DIR/accounts/+NUMBER</c> (see <c>signal-sharp link</c>), connects it and starts
/// its background receiver. The daemon disposes it on shutdown. <paramref name="options"/> are a benchmark's knobs
/// (the default in production).
/// </summary>
internal sealed class StoredAccountOpener(Func<ILoggerFactory?> loggers, LinkedAccountOptions? options = null) : IAccountOpener
{
    public StoredAccountOpener(ILoggerFactory? loggerFactory = null, LinkedAccountOptions? options = null)
        : this(() => loggerFactory, options)
    {
    }

    public Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken) =>
        OpenAsync(phoneNumber, configDirectory, null, cancellationToken);

    public Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, ServerProfile? server, CancellationToken cancellationToken) =>
        OpenAsync(phoneNumber, configDirectory, server, (options ?? LinkedAccountOptions.Default).TrustNewIdentities, cancellationToken);

    public Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, ServerProfile? server, NewIdentityTrust trust, CancellationToken cancellationToken) =>
        OpenAsync(phoneNumber, configDirectory, server, trust, null, cancellationToken);

    public async Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, ServerProfile? server, NewIdentityTrust trust, AccountTuning? tuning,
        CancellationToken cancellationToken)
    {
        // The caller waits for the connect: one failed attempt fails it (a one-shot command says so at once).
        var opened = await OpenCoreAsync(phoneNumber, configDirectory, server, trust, tuning, connectUntilUp: false, cancellationToken).ConfigureAwait(false);
        if (opened is null)
        {
            return null;
        }

        try
        {
            await opened.Online.ConfigureAwait(false);
            return opened.Account;
        }
        catch
        {
            await ((LinkedAccount)opened.Account).DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<ConnectingAccount?> OpenConnectingAsync(string phoneNumber, string configDirectory, ServerProfile? server, NewIdentityTrust trust,
        CancellationToken cancellationToken) =>
        OpenConnectingAsync(phoneNumber, configDirectory, server, trust, null, cancellationToken);

    // A daemon serves while the account connects, so its first connect keeps trying until the server answers.
    public Task<ConnectingAccount?> OpenConnectingAsync(string phoneNumber, string configDirectory, ServerProfile? server, NewIdentityTrust trust,
        AccountTuning? tuning, CancellationToken cancellationToken) =>
        OpenCoreAsync(phoneNumber, configDirectory, server, trust, tuning, connectUntilUp: true, cancellationToken);

    private async Task<ConnectingAccount?> OpenCoreAsync(string phoneNumber, string configDirectory, ServerProfile? server, NewIdentityTrust trust,
        AccountTuning? tuning, bool connectUntilUp, CancellationToken cancellationToken)
    {
        var logger = loggers()?.CreateLogger("SignalSharp.Account");
        var accountOptions = (options ?? LinkedAccountOptions.Default) with { TrustNewIdentities = trust, ConnectUntilUp = connectUntilUp };
        if (tuning?.KeepDelivered is { } keep)
        {
            accountOptions = accountOptions with { KeepDelivered = keep };
        }

        if (tuning?.ReceiveStories == true)
        {
            accountOptions = accountOptions with { ReceiveStories = true };
        }

        var account = await LinkedAccount.OpenAsync(AccountDirectory.For(configDirectory, phoneNumber), server, accountOptions, logger, cancellationToken).ConfigureAwait(false);
        return account is null ? null : new ConnectingAccount(account, account.StartAsync(cancellationToken));
    }
}
