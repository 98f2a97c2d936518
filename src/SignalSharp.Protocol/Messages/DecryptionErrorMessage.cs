using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.SealedSender;
using Wire = SignalSharp.Protocol.SealedSender.Proto;

namespace SignalSharp.Protocol.Messages;

/// <summary>
/// "I could not decrypt your message sent at <see cref="Timestamp"/> from device <see cref="DeviceId"/>": a resend
/// request. For 1:1 messages it names the ratchet key of the failed message so the sender can tell whether its
/// session is the broken one; for sender-key messages there is none.
/// </summary>
public sealed class DecryptionErrorMessage
{
    private readonly byte[] serialized;

    private DecryptionErrorMessage(ECPublicKey? ratchetKey, ulong timestamp, uint deviceId, byte[] serialized)
    {
        RatchetKey = ratchetKey;
        Timestamp = timestamp;
        DeviceId = deviceId;
        this.serialized = serialized;
    }

    public ECPublicKey? RatchetKey { get; }

    public ulong Timestamp { get; }

    public uint DeviceId { get; }

    public byte[] Serialize() => (byte[])serialized.Clone();

    /// <summary>Builds the resend request for an original message of <paramref name="originalType"/> that failed.</summary>
    public static DecryptionErrorMessage ForOriginal(ReadOnlySpan<byte> originalBytes, CiphertextMessageType originalType, ulong timestamp, uint originalSenderDeviceId)
    {
        var ratchetKey = originalType switch
        {
            CiphertextMessageType.Whisper => RatchetKeyOfSignalMessage(originalBytes),
            CiphertextMessageType.PreKey => RatchetKeyOfSignalMessage(FieldBytes(originalBytes[1..], 4)
                ?? throw new InvalidSealedSenderMessageException("prekey message lacks its inner message")),
            CiphertextMessageType.SenderKey => null,
            _ => throw new InvalidSealedSenderMessageException($"cannot build a decryption error for a message of type {originalType}"),
        };
        var body = new Wire.DecryptionErrorBody { Timestamp = timestamp, DeviceId = originalSenderDeviceId };
        if (ratchetKey is not null)
        {
            body.RatchetKey = ByteString.CopyFrom(ratchetKey.Serialize());
        }

        return new DecryptionErrorMessage(ratchetKey, timestamp, originalSenderDeviceId, body.ToByteArray());
    }

    public static DecryptionErrorMessage Deserialize(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var body = Wire.DecryptionErrorBody.Parser.ParseFrom(bytes);
            var ratchetKey = body.HasRatchetKey ? ECPublicKey.Deserialize(body.RatchetKey.Span) : null;
            return new DecryptionErrorMessage(ratchetKey, body.Timestamp, body.DeviceId, bytes.ToArray());
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or CryptoException)
        {
            throw new InvalidSealedSenderMessageException($"decryption error message is malformed: {e.Message}");
        }
    }

    /// <summary>The sender ratchet key (field 1) of a serialized SignalMessage: version byte, protobuf, 8-byte MAC.</summary>
    private static ECPublicKey RatchetKeyOfSignalMessage(ReadOnlySpan<byte> message)
    {
        if (message.Length < 1 + 8)
        {
            throw new InvalidSealedSenderMessageException("signal message too short");
        }

        var key = FieldBytes(message[1..^8], 1) ?? throw new InvalidSealedSenderMessageException("signal message lacks its ratchet key");
        return ECPublicKey.Deserialize(key);
    }

    private static byte[]? FieldBytes(ReadOnlySpan<byte> protobuf, int fieldNumber)
    {
        try
        {
            var input = new CodedInputStream(protobuf.ToArray());
            uint tag;
            byte[]? found = null;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == fieldNumber && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    found = input.ReadBytes().ToByteArray();
                }
                else
                {
                    input.SkipLastField();
                }
            }

            return found;
        }
        catch (InvalidProtocolBufferException)
        {
            throw new InvalidSealedSenderMessageException("original message is malformed");
        }
    }
}
