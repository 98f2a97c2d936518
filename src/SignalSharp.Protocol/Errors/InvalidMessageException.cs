using SignalSharp.Protocol.Messages;

namespace SignalSharp.Protocol;

/// <summary>
/// A 1:1 message could not be parsed or decrypted: malformed bytes, a bad MAC, bad padding, a jump too far ahead,
/// or no session state accepted it. <see cref="Exception.InnerException"/> carries the first per-state failure when
/// several states were tried.
/// </summary>
public sealed class InvalidMessageException : ProtocolException
{
    public InvalidMessageException(string message)
        : base(message)
    {
    }

    public InvalidMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidMessageException(CiphertextMessageType messageType, string message, IReadOnlyList<Exception>? stateErrors = null)
        : base($"invalid {messageType} message: {message}", stateErrors is { Count: > 0 } ? stateErrors[0] : null!)
    {
        MessageType = messageType;
        StateErrors = stateErrors ?? [];
    }

    /// <summary>The kind of message that failed, when known.</summary>
    public CiphertextMessageType? MessageType { get; }

    /// <summary>One error per session state that was tried (current first, then archived ones).</summary>
    public IReadOnlyList<Exception> StateErrors { get; } = [];
}
