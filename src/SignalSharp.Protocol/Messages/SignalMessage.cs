using System.Security.Cryptography;
using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Sessions.Proto;

namespace SignalSharp.Protocol.Messages;

/// <summary>
/// A Double Ratchet message: version byte ‖ protobuf ‖ 8-byte truncated HMAC-SHA256. The MAC covers
/// sender identity (33) ‖ receiver identity (33) ‖ version byte ‖ protobuf. Parsing checks structure only; the
/// MAC is checked by the session cipher, which knows the key.
/// </summary>
public sealed class SignalMessage : CiphertextMessage
{
    internal const int MacLength = 8;

    private readonly byte[] serialized;

    private SignalMessage(
        byte[] serialized,
        byte messageVersion,
        ECPublicKey senderRatchetKey,
        uint counter,
        uint previousCounter,
        byte[] body,
        byte[] pqRatchet,
        byte[]? addresses)
    {
        this.serialized = serialized;
        MessageVersion = messageVersion;
        SenderRatchetKey = senderRatchetKey;
        Counter = counter;
        PreviousCounter = previousCounter;
        Body = body;
        PqRatchet = pqRatchet;
        Addresses = addresses;
    }

    public override CiphertextMessageType Type => CiphertextMessageType.Whisper;

    /// <summary>The session version this message belongs to (4 for PQXDH sessions).</summary>
    public byte MessageVersion { get; }

    public ECPublicKey SenderRatchetKey { get; }

    public uint Counter { get; }

    public uint PreviousCounter { get; }

    /// <summary>The AES-256-CBC ciphertext.</summary>
    public byte[] Body { get; }

    /// <summary>The SPQR message (field 5); empty when absent.</summary>
    public byte[] PqRatchet { get; }

    /// <summary>The 36-byte sender/recipient addresses (field 6), present only while the session is unacknowledged.</summary>
    public byte[]? Addresses { get; }

    /// <summary>The exact bytes received or produced.</summary>
    internal ReadOnlySpan<byte> SerializedSpan => serialized;

    public override byte[] Serialize() => (byte[])serialized.Clone();

    /// <summary>Parses a SignalMessage; every structural problem is a typed <see cref="ProtocolException"/>.</summary>
    public static SignalMessage Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 1 + MacLength)
        {
            throw CiphertextMessageType.Whisper.Invalid("message too short");
        }

        var version = Messages.MessageVersion.Parse(bytes[0]);
        WhisperMessageProto proto;
        try
        {
            proto = WhisperMessageProto.Parser.ParseFrom(bytes[1..^MacLength]);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidMessageException("invalid protobuf encoding in SignalMessage", e);
        }

        if (!proto.HasRatchetKey || !proto.HasCounter || !proto.HasCiphertext)
        {
            throw CiphertextMessageType.Whisper.Invalid("missing required field");
        }

        ECPublicKey ratchetKey;
        try
        {
            ratchetKey = ECPublicKey.Deserialize(proto.RatchetKey.Span);
        }
        catch (CryptoException e)
        {
            throw new InvalidMessageException("invalid ratchet key in SignalMessage", e);
        }

        return new SignalMessage(
            bytes.ToArray(),
            version,
            ratchetKey,
            proto.Counter,
            proto.PreviousCounter,
            proto.Ciphertext.ToByteArray(),
            proto.HasPqRatchet ? proto.PqRatchet.ToByteArray() : [],
            proto.HasAddresses ? proto.Addresses.ToByteArray() : null);
    }

    /// <summary>Builds and MACs a message; fields are written in ascending tag order like libsignal does.</summary>
    internal static SignalMessage Create(
        byte messageVersion,
        ReadOnlySpan<byte> macKey,
        ECPublicKey senderRatchetKey,
        uint counter,
        uint previousCounter,
        byte[] body,
        IdentityKey senderIdentity,
        IdentityKey receiverIdentity,
        byte[]? pqRatchet,
        byte[]? addresses)
    {
        var proto = new WhisperMessageProto
        {
            RatchetKey = UnsafeByteOperations.UnsafeWrap(senderRatchetKey.Serialize()),
            Counter = counter,
            PreviousCounter = previousCounter,
            Ciphertext = UnsafeByteOperations.UnsafeWrap(body),
        };
        if (pqRatchet is { Length: > 0 })
        {
            proto.PqRatchet = UnsafeByteOperations.UnsafeWrap(pqRatchet);
        }

        if (addresses is not null)
        {
            proto.Addresses = UnsafeByteOperations.UnsafeWrap(addresses);
        }

        var protoLength = proto.CalculateSize();
        var serialized = new byte[1 + protoLength + MacLength];
        serialized[0] = Messages.MessageVersion.VersionByte(messageVersion);
        proto.WriteTo(serialized.AsSpan(1, protoLength));
        ComputeMac(senderIdentity, receiverIdentity, macKey, serialized.AsSpan(0, 1 + protoLength), serialized.AsSpan(1 + protoLength));
        return new SignalMessage(serialized, messageVersion, senderRatchetKey, counter, previousCounter, body, pqRatchet ?? [], addresses);
    }

    /// <summary>Checks the truncated MAC in constant time.</summary>
    internal bool VerifyMac(IdentityKey senderIdentity, IdentityKey receiverIdentity, ReadOnlySpan<byte> macKey)
    {
        Span<byte> expected = stackalloc byte[MacLength];
        ComputeMac(senderIdentity, receiverIdentity, macKey, serialized.AsSpan(0, serialized.Length - MacLength), expected);
        return CryptographicOperations.FixedTimeEquals(expected, serialized.AsSpan(serialized.Length - MacLength));
    }

    private static void ComputeMac(
        IdentityKey senderIdentity,
        IdentityKey receiverIdentity,
        ReadOnlySpan<byte> macKey,
        ReadOnlySpan<byte> versionAndProto,
        Span<byte> destination8)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, macKey);
        hmac.AppendData(senderIdentity.Serialize());
        hmac.AppendData(receiverIdentity.Serialize());
        hmac.AppendData(versionAndProto);
        Span<byte> full = stackalloc byte[32];
        hmac.GetHashAndReset(full);
        full[..MacLength].CopyTo(destination8);
    }
}
