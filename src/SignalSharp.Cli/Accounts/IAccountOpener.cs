using SignalSharp.Daemon.Account;

namespace SignalSharp.Cli.Accounts;

/// <summary>Opens a linked account from the data directory.</summary>
internal interface IAccountOpener
{
    /// <summary>The account, or null when the directory holds no such account.</summary>
    Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken);
}

/// <summary>
/// The opener until the account store and the Signal service land: no account can exist yet, so every lookup
/// reports "not found" and the daemon refuses to start. Nothing here pretends to send.
/// </summary>
internal sealed class AccountStoreNotAvailable : IAccountOpener
{
    public Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken) =>
        Task.FromResult<ISignalAccount?>(null);
}
