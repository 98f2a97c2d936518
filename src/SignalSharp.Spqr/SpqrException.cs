namespace SignalSharp.Spqr;

/// <summary>The failures of the SPQR ratchet, named after spqr v1.5.3's <c>Error</c> variants.</summary>
public enum SpqrError
{
    StateDecode,
    MsgDecode,
    MacVerifyFailed,
    EpochOutOfRange,
    VersionMismatch,
    MinimumVersion,
    KeyJump,
    KeyTrimmed,
    KeyAlreadyRequested,
    ErroneousDataReceived,
    SendKeyEpochDecreased,
    ChainNotAvailable,
}

/// <summary>
/// An SPQR operation failed; the state passed in is unchanged and must be kept. <see cref="Value"/> and
/// <see cref="Value2"/> carry the numbers spqr reports with the error (epoch, counter, requested index).
/// </summary>
public class SpqrException : Exception
{
    public SpqrException(SpqrError error, ulong value = 0, ulong value2 = 0)
        : base(Describe(error, value, value2))
    {
        Error = error;
        Value = value;
        Value2 = value2;
    }

    public SpqrException(SpqrError error, Exception inner)
        : base(Describe(error, 0, 0), inner)
    {
        Error = error;
    }

    public SpqrError Error { get; }

    public ulong Value { get; }

    public ulong Value2 { get; }

    private static string Describe(SpqrError error, ulong value, ulong value2) => error switch
    {
        SpqrError.StateDecode => "state decode failed",
        SpqrError.MsgDecode => "message decode failed",
        SpqrError.MacVerifyFailed => "MAC verification failed",
        SpqrError.EpochOutOfRange => $"epoch not in valid range: {value}",
        SpqrError.VersionMismatch => "Version mismatch after negotiation",
        SpqrError.MinimumVersion => "Minimum version",
        SpqrError.KeyJump => $"Key jump: {value} - {value2}",
        SpqrError.KeyTrimmed => $"Key trimmed: {value}",
        SpqrError.KeyAlreadyRequested => $"Key already requested: {value}",
        SpqrError.ErroneousDataReceived => "Erroneous data received from remote party",
        SpqrError.SendKeyEpochDecreased => $"Send key epoch decreased ({value} -> {value2})",
        SpqrError.ChainNotAvailable => "Chain not available",
        _ => error.ToString(),
    };
}
