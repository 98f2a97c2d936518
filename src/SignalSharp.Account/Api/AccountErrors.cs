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
