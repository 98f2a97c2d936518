using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Proto.StorageKeys;

namespace SignalSharp.Protocol;

/// <summary>Our identity: the public <see cref="IdentityKey"/> and its private key.</summary>
public sealed class IdentityKeyPair
{
    private static readonly byte[] AlternateIdentityPrefix = [.. Enumerable.Repeat((byte)0xFF, 32), .. "Signal_PNI_Signature"u8];

    public IdentityKeyPair(IdentityKey identityKey, ECPrivateKey privateKey)
    {
        IdentityKey = identityKey ?? throw new ArgumentNullException(nameof(identityKey));
        PrivateKey = privateKey ?? throw new ArgumentNullException(nameof(privateKey));
    }

    public IdentityKey IdentityKey { get; }

    public ECPublicKey PublicKey => IdentityKey.PublicKey;

    public ECPrivateKey PrivateKey { get; }

    public static IdentityKeyPair Generate()
    {
        var pair = ECKeyPair.Generate();
        return new IdentityKeyPair(new IdentityKey(pair.PublicKey), pair.PrivateKey);
    }

    /// <summary>Serializes as libsignal's IdentityKeyPairStructure {1: public (33), 2: private (32)}.</summary>
    public byte[] Serialize() => new IdentityKeyPairStructure
    {
        PublicKey = ByteString.CopyFrom(IdentityKey.Serialize()),
        PrivateKey = ByteString.CopyFrom(PrivateKey.Serialize()),
    }.ToByteArray();

    public static IdentityKeyPair Deserialize(ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        return InvalidKeyMaterialException.Wrap("identity key pair", () =>
        {
            var structure = IdentityKeyPairStructure.Parser.ParseFrom(copy);
            return new IdentityKeyPair(
                new IdentityKey(ECPublicKey.Deserialize(structure.PublicKey.Span)),
                ECPrivateKey.Deserialize(structure.PrivateKey.Span));
        });
    }

    /// <summary>
    /// Signs <paramref name="other"/> as an alternate identity of ours (Signal's PNI signature): XEdDSA over
    /// <c>0xFF×32 ‖ "Signal_PNI_Signature" ‖ other (33 bytes)</c>.
    /// </summary>
    public byte[] SignAlternateIdentity(IdentityKey other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return PrivateKey.CalculateSignature(AlternateIdentityMessage(other));
    }

    internal static byte[] AlternateIdentityMessage(IdentityKey other) => [.. AlternateIdentityPrefix, .. other.Serialize()];
}
