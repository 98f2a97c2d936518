using SignalSharp.Protocol.Messages;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// A resend request owed to the sender of a message that did not decrypt: a DecryptionErrorMessage inside a
/// PlaintextContent, sent unencrypted (envelope type 8) to the one device that sent the original.
/// </summary>
internal sealed record RetryRequest(Guid SenderAci, uint SenderDevice, byte[] PlaintextContent)
{
    /// <summary>The request for an original of <paramref name="type"/>, or null when none can be built (malformed original).</summary>
    public static RetryRequest? For(Guid senderAci, uint senderDevice, ReadOnlySpan<byte> original, CiphertextMessageType type, ulong timestamp)
    {
        try
        {
            var error = DecryptionErrorMessage.ForOriginal(original, type, timestamp, senderDevice);
            return new RetryRequest(senderAci, senderDevice, Protocol.Messages.PlaintextContent.From(error).Serialize());
        }
        catch (Exception e) when (e is Protocol.ProtocolException or Google.Protobuf.InvalidProtocolBufferException or ArgumentException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
