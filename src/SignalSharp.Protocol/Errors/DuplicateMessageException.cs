namespace SignalSharp.Protocol;

/// <summary>
/// A message whose counter was already consumed on its chain (a replay, or a retransmission already decrypted).
/// </summary>
public sealed class DuplicateMessageException(uint chainIndex, uint counter)
    : ProtocolException($"message with old counter {chainIndex} / {counter}")
{
    /// <summary>The receiving chain's next index when the message arrived.</summary>
    public uint ChainIndex { get; } = chainIndex;

    /// <summary>The message's counter.</summary>
    public uint Counter { get; } = counter;
}
