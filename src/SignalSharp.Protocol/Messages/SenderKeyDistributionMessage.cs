using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.SenderKeys;
using Wire = SignalSharp.Protocol.SenderKeys.Proto;

namespace SignalSharp.Protocol.Messages;

/// <summary>
/// Hands a sender's chain (chain id, iteration, chain key, public signing key) for one distribution id to a group
/// member: <c>0x33 ‖ {1 distribution uuid, 2 chain id, 3 iteration, 4 chain key, 5 signing key}</c>. It carries no
/// signature of its own: it travels inside an encrypted 1:1 Content (field 7).
/// </summary>
public sealed class SenderKeyDistributionMessage
{
    private const int ChainKeyLength = 32;
    private readonly byte[] serialized;

    internal SenderKeyDistributionMessage(byte version, Guid distributionId, uint chainId, uint iteration, byte[] chainKey, ECPublicKey signingKey)
    {
        MessageVersion = version;
        DistributionId = distributionId;
        ChainId = chainId;
        Iteration = iteration;
        ChainKey = chainKey;
        SigningKey = signingKey;
        var body = new Wire.SenderKeyDistributionBody
        {
            DistributionUuid = ByteString.CopyFrom(distributionId.ToByteArray(bigEndian: true)),
            ChainId = chainId,
            Iteration = iteration,
            ChainKey = ByteString.CopyFrom(chainKey),
            SigningKey = ByteString.CopyFrom(signingKey.Serialize()),
        };
        serialized = new byte[1 + body.CalculateSize()];
        serialized[0] = (byte)((version << 4) | SenderKeyMessage.CurrentVersion);
        body.WriteTo(serialized.AsSpan(1));
    }

    public byte MessageVersion { get; }

    public Guid DistributionId { get; }

    public uint ChainId { get; }

    public uint Iteration { get; }

    public byte[] ChainKey { get; }

    public ECPublicKey SigningKey { get; }

    public byte[] Serialize() => (byte[])serialized.Clone();

    /// <summary>Parses a serialized distribution message; a malformed one throws <see cref="InvalidSenderKeyMessageException"/>.</summary>
    public static SenderKeyDistributionMessage Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            throw new InvalidSenderKeyMessageException("sender key distribution message too short");
        }

        var version = (byte)(bytes[0] >> 4);
        SenderKeyMessage.CheckVersion(version);
        Wire.SenderKeyDistributionBody body;
        try
        {
            body = Wire.SenderKeyDistributionBody.Parser.ParseFrom(bytes[1..]);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new InvalidSenderKeyMessageException("sender key distribution message protobuf is malformed");
        }

        if (!body.HasDistributionUuid || !body.HasChainId || !body.HasIteration || !body.HasChainKey || !body.HasSigningKey
            || body.DistributionUuid.Length != 16 || body.ChainKey.Length != ChainKeyLength || body.SigningKey.Length != 33)
        {
            throw new InvalidSenderKeyMessageException("sender key distribution message lacks a required field");
        }

        ECPublicKey signingKey;
        try
        {
            signingKey = ECPublicKey.Deserialize(body.SigningKey.Span);
        }
        catch (InvalidKeyException)
        {
            throw new InvalidSenderKeyMessageException("sender key distribution message has an invalid signing key");
        }

        return new SenderKeyDistributionMessage(
            version, new Guid(body.DistributionUuid.Span, bigEndian: true), body.ChainId, body.Iteration, body.ChainKey.ToByteArray(), signingKey);
    }
}
