namespace SignalSharp.Protocol.Messages;

/// <summary>Something an encrypt call produces: it knows its type and its exact wire bytes.</summary>
public abstract class CiphertextMessage
{
    public abstract CiphertextMessageType Type { get; }

    /// <summary>The bytes that travel (a copy; the message itself is immutable).</summary>
    public abstract byte[] Serialize();
}
