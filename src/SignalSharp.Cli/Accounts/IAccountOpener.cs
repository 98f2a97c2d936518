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

    /// <summary>As above, keeping delivered items for <paramref name="keepDelivered"/> (`--keep-delivered`) when it is given.</summary>
    Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, ServerProfile? server, NewIdentityTrust trust, TimeSpan? keepDelivered,
        CancellationToken cancellationToken) =>
        keepDelivered is null
            ? OpenAsync(phoneNumber, configDirectory, server, trust, cancellationToken)
            : throw new NotSupportedException("this account opener cannot choose how long delivered items are kept");
}

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

    public async Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, ServerProfile? server, NewIdentityTrust trust, TimeSpan? keepDelivered,
        CancellationToken cancellationToken)
    {
        var logger = loggers()?.CreateLogger("SignalSharp.Account");
        var accountOptions = (options ?? LinkedAccountOptions.Default) with { TrustNewIdentities = trust };
        if (keepDelivered is { } keep)
        {
            accountOptions = accountOptions with { KeepDelivered = keep };
        }

        var account = await LinkedAccount.OpenAsync(AccountDirectory.For(configDirectory, phoneNumber), server, accountOptions, logger, cancellationToken).ConfigureAwait(false);
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
