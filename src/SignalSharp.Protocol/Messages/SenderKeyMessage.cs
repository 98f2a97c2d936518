using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.SenderKeys;
using Wire = SignalSharp.Protocol.SenderKeys.Proto;

namespace SignalSharp.Protocol.Messages;

/// <summary>
/// A group message encrypted with a sender key: <c>0x33 ‖ {1 distribution uuid, 2 chain id, 3 iteration,
/// 4 ciphertext} ‖ XEdDSA signature (64)</c>, signed by the sender's signing key over everything before it.
/// Parsing checks the layout only; the signature is checked by <see cref="GroupCipher"/> against the stored state.
/// </summary>
public sealed class SenderKeyMessage : CiphertextMessage
{
    internal const byte CurrentVersion = 3;
    private const int SignatureLength = 64;

    private readonly byte[] serialized;

    private SenderKeyMessage(byte version, Guid distributionId, uint chainId, uint iteration, byte[] ciphertext, byte[] serialized)
    {
        MessageVersion = version;
        DistributionId = distributionId;
        ChainId = chainId;
        Iteration = iteration;
        Ciphertext = ciphertext;
        this.serialized = serialized;
    }

    public byte MessageVersion { get; }

    public Guid DistributionId { get; }

    public uint ChainId { get; }

    public uint Iteration { get; }

    public byte[] Ciphertext { get; }

    public override CiphertextMessageType Type => CiphertextMessageType.SenderKey;

    public override byte[] Serialize() => (byte[])serialized.Clone();

    internal static SenderKeyMessage Create(byte version, Guid distributionId, uint chainId, uint iteration, byte[] ciphertext, ECPrivateKey signingKey)
    {
        var body = new Wire.SenderKeyMessageBody
        {
            DistributionUuid = ByteString.CopyFrom(distributionId.ToByteArray(bigEndian: true)),
            ChainId = chainId,
            Iteration = iteration,
            Ciphertext = ByteString.CopyFrom(ciphertext),
        };
        var unsigned = new byte[1 + body.CalculateSize()];
        unsigned[0] = (byte)((version << 4) | CurrentVersion);
        body.WriteTo(unsigned.AsSpan(1));
        var signature = signingKey.CalculateSignature(unsigned);
        return new SenderKeyMessage(version, distributionId, chainId, iteration, ciphertext, [.. unsigned, .. signature]);
    }

    /// <summary>Parses a serialized sender-key message; a malformed one throws <see cref="InvalidSenderKeyMessageException"/>.</summary>
    public static SenderKeyMessage Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 1 + SignatureLength)
        {
            throw new InvalidSenderKeyMessageException("sender key message too short");
        }

        var version = (byte)(bytes[0] >> 4);
        CheckVersion(version);
        Wire.SenderKeyMessageBody body;
        try
        {
            body = Wire.SenderKeyMessageBody.Parser.ParseFrom(bytes[1..^SignatureLength]);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new InvalidSenderKeyMessageException("sender key message protobuf is malformed");
        }

        if (!body.HasDistributionUuid || !body.HasChainId || !body.HasIteration || !body.HasCiphertext || body.DistributionUuid.Length != 16)
        {
            throw new InvalidSenderKeyMessageException("sender key message lacks a required field");
        }

        return new SenderKeyMessage(
            version,
            new Guid(body.DistributionUuid.Span, bigEndian: true),
            body.ChainId,
            body.Iteration,
            body.Ciphertext.ToByteArray(),
            bytes.ToArray());
    }

    /// <summary>Checks the sender's XEdDSA signature over the version byte and protobuf.</summary>
    public bool VerifySignature(ECPublicKey signingKey) =>
        signingKey.VerifySignature(serialized.AsSpan(0, serialized.Length - SignatureLength), serialized.AsSpan(serialized.Length - SignatureLength));

    internal static void CheckVersion(byte version)
    {
        if (version < CurrentVersion)
        {
            throw new InvalidSenderKeyMessageException($"legacy sender key message version {version}");
        }

        if (version > CurrentVersion)
        {
            throw new InvalidSenderKeyMessageException($"unrecognized sender key message version {version}");
        }
    }
}
