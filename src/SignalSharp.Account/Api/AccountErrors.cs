namespace SignalSharp.Account.Api;

public sealed class LinkingFailedException(string reason) : AccountException("linking failed: " + reason);

public sealed class AccountAlreadyLinkedException(string number, string directory)
    : AccountException($"{number} is already linked in {directory}; remove that directory to link again")
{
    public string Number { get; } = number;
}

public sealed class AccountNotLinkedException(string directory)
    : AccountException($"no linked account in {directory}");

public sealed class SendFailedException(string recipient, string reason)
    : AccountException($"sending to {recipient} failed: {reason}")
{
    /// <summary>Set when the server rate-limits sends to the recipient: the token of the challenge it wants solved.</summary>
    public string? RateLimitChallengeToken { get; init; }
}

/// <summary>The server did not accept the answer to its rate-limit challenge (the captcha was wrong or expired).</summary>
public sealed class ChallengeRefusedException(string reason)
    : AccountException("the rate-limit challenge was not accepted: " + reason);

/// <summary>Why the server stopped serving the account on this device (<see cref="AccountStoppedException"/>).</summary>
public enum AccountStopReason
{
    /// <summary>HTTP 403 on login (also after a 4401 close): the device was unlinked, or the account registered again.</summary>
    DeviceNotAccepted,

    /// <summary>HTTP 499 on login: the server refuses this client (too old, or missing a capability it now requires).</summary>
    ClientRejected,
}

/// <summary>
/// The server no longer serves this account on this device, and reconnecting cannot change that. The account stays
/// open for what it already stored (received items can still be read); everything that needs the server fails with
/// this until the device is linked again.
/// </summary>
public sealed class AccountStoppedException(AccountStopReason reason) : AccountException(Describe(reason))
{
    public AccountStopReason Reason { get; } = reason;

    private static string Describe(AccountStopReason reason) => reason switch
    {
        AccountStopReason.ClientRejected =>
            "account stopped: the server refuses this client (HTTP 499: this SignalSharp is too old or lacks a capability the "
            + "server now requires); update SignalSharp, then link this device again with `signal-sharp link`",
        _ =>
            "account stopped: the server no longer accepts this device (HTTP 403: it was unlinked on the phone, or the account "
            + "was registered again); link this device again with `signal-sharp link`",
    };
}

/// <summary>
/// The account's database cannot be used right now (locked by another process, disk full, read-only, I/O error).
/// Nothing was lost: received messages stay with the server, which delivers them again once the database works.
/// </summary>
public sealed class StoreUnavailableException(string reason, Exception inner)
    : AccountException($"the account's database cannot be used right now ({reason}); received messages stay with the server until it can", inner);

/// <summary>The server closed the provisioning socket of a started link before the phone scanned its code.</summary>
public sealed class LinkCodeExpiredException(Exception inner) : AccountException("the link code expired before the phone scanned it", inner);
