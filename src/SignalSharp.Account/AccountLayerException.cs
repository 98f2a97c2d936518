namespace SignalSharp.Account;

/// <summary>Base of the account layer's own failures.</summary>
public abstract class AccountLayerException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class LinkingFailedException(string reason) : AccountLayerException("linking failed: " + reason);

public sealed class AccountAlreadyLinkedException(string number, string directory)
    : AccountLayerException($"{number} is already linked in {directory}; remove that directory to link again")
{
    public string Number { get; } = number;
}

public sealed class AccountNotLinkedException(string directory)
    : AccountLayerException($"no linked account in {directory}");

public sealed class SendFailedException(string recipient, string reason)
    : AccountLayerException($"sending to {recipient} failed: {reason}");
