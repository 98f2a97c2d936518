namespace SignalSharp.Protocol;

/// <summary>No sender-key chain is known for this sender and distribution id (or for the message's chain id): the
/// sender's distribution message never arrived or was superseded. The remedy is to ask the sender for it.</summary>
public sealed class NoSenderKeyStateException(ProtocolAddress sender, Guid distributionId)
    : ProtocolException($"no sender key state for {sender.Name}.{sender.DeviceId}, distribution {distributionId}")
{
    public ProtocolAddress Sender { get; } = sender;

    public Guid DistributionId { get; } = distributionId;
}

/// <summary>The sender-key state cannot be used (no private signing key, chain exhausted, bad ciphertext).</summary>
public sealed class InvalidSenderKeySessionException : ProtocolException
{
    public InvalidSenderKeySessionException(Guid distributionId, string message)
        : base($"invalid sender key session for distribution {distributionId}: {message}") => DistributionId = distributionId;

    public InvalidSenderKeySessionException(string message)
        : base(message)
    {
    }

    public Guid? DistributionId { get; }
}

/// <summary>A sender-key message or distribution message is malformed, of another version, or too far ahead.</summary>
public sealed class InvalidSenderKeyMessageException(string message) : ProtocolException(message);

/// <summary>The message's signature does not verify with the chain's signing key.</summary>
public sealed class InvalidSenderKeySignatureException(ProtocolAddress sender, Guid distributionId)
    : ProtocolException($"sender key message signature from {sender.Name}.{sender.DeviceId} does not verify")
{
    public ProtocolAddress Sender { get; } = sender;

    public Guid DistributionId { get; } = distributionId;
}

/// <summary>The message's iteration was already decrypted (its key is gone).</summary>
public sealed class DuplicateSenderKeyMessageException(ProtocolAddress sender, Guid distributionId, uint chainIteration, uint iteration)
    : ProtocolException($"duplicate sender key message: chain at {chainIteration}, message {iteration}")
{
    public ProtocolAddress Sender { get; } = sender;

    public Guid DistributionId { get; } = distributionId;

    public uint ChainIteration { get; } = chainIteration;

    public uint Iteration { get; } = iteration;
}
