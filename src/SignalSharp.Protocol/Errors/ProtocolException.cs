namespace SignalSharp.Protocol;

/// <summary>
/// Base of every error raised by SignalSharp.Protocol. Each failure kind is a sealed subclass carrying its data, so
/// callers can catch the whole layer at once or one kind precisely.
/// </summary>
public abstract class ProtocolException : Exception
{
    protected ProtocolException(string message)
        : base(message)
    {
    }

    protected ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
