namespace SignalSharp.Protocol;

/// <summary>Stored session bytes could not be read as a session record.</summary>
public sealed class InvalidSessionRecordException(string message, Exception innerException)
    : ProtocolException(message, innerException);
