namespace SignalSharp.Protocol.Messages;

/// <summary>The envelope-level kinds of encrypted content (values as Signal's envelopes and sealed sender use them).</summary>
public enum CiphertextMessageType
{
    Whisper = 2,
    PreKey = 3,
    SenderKey = 7,
    Plaintext = 8,
}

/// <summary>
/// The errors named by message kind. They live with the kinds, not with the errors, so that the errors depend on no
/// message type.
/// </summary>
public static class CiphertextMessageTypeErrors
{
    /// <summary>"invalid {kind} message: {reason}", with the per-state failures when several session states were tried.</summary>
    public static InvalidMessageException Invalid(this CiphertextMessageType messageType, string reason, IReadOnlyList<Exception>? stateErrors = null) =>
        new($"invalid {messageType} message: {reason}", stateErrors ?? []);
}
