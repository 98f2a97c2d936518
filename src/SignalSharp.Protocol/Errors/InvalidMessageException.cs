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

    /// <param name="stateErrors">One error per session state tried; the first becomes the inner exception.</param>
    public InvalidMessageException(string message, IReadOnlyList<Exception> stateErrors)
        : base(message, stateErrors.Count > 0 ? stateErrors[0] : null!)
    {
        StateErrors = stateErrors;
    }

    /// <summary>One error per session state that was tried (current first, then archived ones).</summary>
    public IReadOnlyList<Exception> StateErrors { get; } = [];
}
