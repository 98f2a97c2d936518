namespace SignalSharp.Protocol.Messages;

/// <summary>The envelope-level kinds of encrypted content (values as Signal's envelopes and sealed sender use them).</summary>
public enum CiphertextMessageType
{
    Whisper = 2,
    PreKey = 3,
    SenderKey = 7,
    Plaintext = 8,
}
