using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Sessions.Proto;

namespace SignalSharp.Protocol.Messages;

/// <summary>
/// The first messages of a session, sent until the peer answers: version byte ‖ protobuf carrying the PQXDH inputs
/// (base key, identity, prekey ids, Kyber ciphertext) and the complete inner <see cref="SignalMessage"/>.
/// It has no MAC of its own; the inner message's MAC (and the PQXDH result) authenticate it.
/// </summary>
public sealed class PreKeySignalMessage : CiphertextMessage
{
    private readonly byte[] serialized;

    private PreKeySignalMessage(
        byte[] serialized,
        byte messageVersion,
        uint registrationId,
        uint? preKeyId,
        uint signedPreKeyId,
        uint? kyberPreKeyId,
        byte[]? kyberCiphertext,
        ECPublicKey baseKey,
        IdentityKey identityKey,
        SignalMessage message)
    {
        this.serialized = serialized;
        MessageVersion = messageVersion;
        RegistrationId = registrationId;
        PreKeyId = preKeyId;
        SignedPreKeyId = signedPreKeyId;
        KyberPreKeyId = kyberPreKeyId;
        KyberCiphertext = kyberCiphertext;
        BaseKey = baseKey;
        IdentityKey = identityKey;
        Message = message;
    }

    public override CiphertextMessageType Type => CiphertextMessageType.PreKey;

    public byte MessageVersion { get; }

    /// <summary>The sender's registration id (0 when absent).</summary>
    public uint RegistrationId { get; }

    /// <summary>The one-time EC prekey used, if any.</summary>
    public uint? PreKeyId { get; }

    public uint SignedPreKeyId { get; }

    public uint? KyberPreKeyId { get; }

    /// <summary>The Kyber1024 ciphertext (1569 bytes with its type byte), present together with <see cref="KyberPreKeyId"/>.</summary>
    public byte[]? KyberCiphertext { get; }

    /// <summary>The initiator's ephemeral (base) key.</summary>
    public ECPublicKey BaseKey { get; }

    /// <summary>The sender's identity key.</summary>
    public IdentityKey IdentityKey { get; }

    public SignalMessage Message { get; }

    public override byte[] Serialize() => (byte[])serialized.Clone();

    public static PreKeySignalMessage Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw CiphertextMessageType.PreKey.Invalid("message too short");
        }

        var version = Messages.MessageVersion.Parse(bytes[0]);
        PreKeyWhisperMessageProto proto;
        try
        {
            proto = PreKeyWhisperMessageProto.Parser.ParseFrom(bytes[1..]);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidMessageException("invalid protobuf encoding in PreKeySignalMessage", e);
        }

        if (!proto.HasBaseKey || !proto.HasIdentityKey || !proto.HasMessage || !proto.HasSignedPreKeyId)
        {
            throw CiphertextMessageType.PreKey.Invalid("missing required field");
        }

        if (proto.HasKyberPreKeyId != proto.HasKyberCiphertext)
        {
            throw CiphertextMessageType.PreKey.Invalid("both or neither kyber pre_key_id and kyber_ciphertext can be present");
        }

        ECPublicKey baseKey;
        IdentityKey identityKey;
        try
        {
            baseKey = ECPublicKey.Deserialize(proto.BaseKey.Span);
            identityKey = IdentityKey.Deserialize(proto.IdentityKey.Span);
        }
        catch (CryptoException e)
        {
            throw new InvalidMessageException("invalid key in PreKeySignalMessage", e);
        }

        var inner = SignalMessage.Deserialize(proto.Message.Span);
        return new PreKeySignalMessage(
            bytes.ToArray(),
            version,
            proto.RegistrationId,
            proto.HasPreKeyId ? proto.PreKeyId : null,
            proto.SignedPreKeyId,
            proto.HasKyberPreKeyId ? proto.KyberPreKeyId : null,
            proto.HasKyberCiphertext ? proto.KyberCiphertext.ToByteArray() : null,
            baseKey,
            identityKey,
            inner);
    }

    internal static PreKeySignalMessage Create(
        byte messageVersion,
        uint registrationId,
        uint? preKeyId,
        uint signedPreKeyId,
        uint? kyberPreKeyId,
        byte[]? kyberCiphertext,
        ECPublicKey baseKey,
        IdentityKey identityKey,
        SignalMessage message)
    {
        var proto = new PreKeyWhisperMessageProto
        {
            BaseKey = UnsafeByteOperations.UnsafeWrap(baseKey.Serialize()),
            IdentityKey = UnsafeByteOperations.UnsafeWrap(identityKey.Serialize()),
            Message = UnsafeByteOperations.UnsafeWrap(message.SerializedSpan.ToArray()),
            RegistrationId = registrationId,
            SignedPreKeyId = signedPreKeyId,
        };
        if (preKeyId is { } id)
        {
            proto.PreKeyId = id;
        }

        if (kyberPreKeyId is { } kyberId && kyberCiphertext is not null)
        {
            proto.KyberPreKeyId = kyberId;
            proto.KyberCiphertext = UnsafeByteOperations.UnsafeWrap(kyberCiphertext);
        }

        var protoLength = proto.CalculateSize();
        var serialized = new byte[1 + protoLength];
        serialized[0] = Messages.MessageVersion.VersionByte(messageVersion);
        proto.WriteTo(serialized.AsSpan(1));
        return new PreKeySignalMessage(
            serialized, messageVersion, registrationId, preKeyId, signedPreKeyId, kyberPreKeyId, kyberCiphertext, baseKey, identityKey, message);
    }
}
