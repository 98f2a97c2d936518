// TEMPORARY: stand-in for CiphertextMessageType, owned by helper "session" and not merged yet. Deleted at that merge.
namespace SignalSharp.Protocol.Messages
{
    public enum CiphertextMessageType
    {
        Whisper = 2,
        PreKey = 3,
        SenderKey = 7,
        Plaintext = 8,
    }
}
