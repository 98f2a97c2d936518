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
    : AccountException($"sending to {recipient} failed: {reason}");

/// <summary>The server did not accept the answer to its rate-limit challenge (the captcha was wrong or expired).</summary>
public sealed class ChallengeRefusedException(string reason)
    : AccountException("the rate-limit challenge was not accepted: " + reason);

/// <summary>
/// The account's database cannot be used right now (locked by another process, disk full, read-only, I/O error).
/// Nothing was lost: received messages stay with the server, which delivers them again once the database works.
/// </summary>
public sealed class StoreUnavailableException(string reason, Exception inner)
    : AccountException($"the account's database cannot be used right now ({reason}); received messages stay with the server until it can", inner);
