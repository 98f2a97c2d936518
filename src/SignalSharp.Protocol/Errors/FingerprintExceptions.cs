namespace SignalSharp.Protocol;

/// <summary>The scanned safety number was made with another fingerprint version.</summary>
public sealed class FingerprintVersionMismatchException(uint theirVersion, uint ourVersion)
    : ProtocolException($"fingerprint version number mismatch: theirs {theirVersion}, ours {ourVersion}")
{
    public uint TheirVersion { get; } = theirVersion;

    public uint OurVersion { get; } = ourVersion;
}

/// <summary>The scanned bytes are not a safety-number payload.</summary>
public sealed class FingerprintParsingException(Exception innerException)
    : ProtocolException("fingerprint parsing error: " + innerException.Message, innerException);
