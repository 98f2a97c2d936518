namespace SignalSharp.Protocol;

/// <summary>
/// A message's MAC (or the sender/recipient addresses it covers) did not verify against one session state.
/// Surfaces inside <see cref="InvalidMessageException.StateErrors"/> when a whole record was tried.
/// </summary>
public sealed class InvalidMacException : ProtocolException
{
    public InvalidMacException(string message)
        : base(message)
    {
    }
}
