using Google.Protobuf;
using SignalSharp.Protocol.SealedSender;
using Wire = SignalSharp.Protocol.SealedSender.Proto;

namespace SignalSharp.Protocol.Messages;

/// <summary>
/// Content sent without encryption (type 8): today only a <see cref="DecryptionErrorMessage"/>, so that a sender
/// can be asked to resend even when no session works. Layout: <c>0xC0 ‖ Content{8: DecryptionErrorMessage} ‖ 0x80</c>
/// (the 0x80 is the usual padding boundary, with no zero fill).
/// </summary>
public sealed class PlaintextContent : CiphertextMessage
{
    private const byte IdentifierByte = 0xC0;
    private const byte PaddingBoundary = 0x80;
    private readonly byte[] serialized;

    private PlaintextContent(byte[] serialized) => this.serialized = serialized;

    /// <summary>The bytes after the identifier byte: a padded serialized Content.</summary>
    public ReadOnlySpan<byte> Body => serialized.AsSpan(1);

    public override CiphertextMessageType Type => CiphertextMessageType.Plaintext;

    public override byte[] Serialize() => (byte[])serialized.Clone();

    public static PlaintextContent From(DecryptionErrorMessage message)
    {
        var content = new Wire.PlaintextContentBody { DecryptionErrorMessage = ByteString.CopyFrom(message.Serialize()) };
        return new PlaintextContent([IdentifierByte, .. content.ToByteArray(), PaddingBoundary]);
    }

    public static PlaintextContent Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes[0] != IdentifierByte)
        {
            throw new InvalidSealedSenderMessageException("plaintext content does not start with 0xC0");
        }

        return new PlaintextContent(bytes.ToArray());
    }

    /// <summary>Reads the DecryptionErrorMessage out of a padded Content (the body of a PlaintextContent).</summary>
    public static DecryptionErrorMessage ExtractDecryptionErrorMessage(ReadOnlySpan<byte> paddedContent)
    {
        if (paddedContent.IsEmpty || paddedContent[^1] != PaddingBoundary)
        {
            throw new InvalidSealedSenderMessageException("plaintext content lacks its padding boundary");
        }

        try
        {
            var content = Wire.PlaintextContentBody.Parser.ParseFrom(paddedContent[..^1]);
            return content.HasDecryptionErrorMessage
                ? DecryptionErrorMessage.Deserialize(content.DecryptionErrorMessage.Span)
                : throw new InvalidSealedSenderMessageException("plaintext content carries no decryption error message");
        }
        catch (InvalidProtocolBufferException)
        {
            throw new InvalidSealedSenderMessageException("plaintext content is malformed");
        }
    }
}
