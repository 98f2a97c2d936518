using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Proto.StorageKeys;

namespace SignalSharp.Protocol;

/// <summary>
/// A signed EC prekey: the identity key's XEdDSA signature covers the 33-byte serialized public key. Stored as
/// libsignal's SignedPreKeyRecordStructure {1 id, 2 public, 3 private, 4 signature, 5 timestamp (ms)}.
/// </summary>
public sealed record SignedPreKeyRecord(uint Id, ulong Timestamp, ECKeyPair KeyPair, byte[] Signature)
{
    /// <summary>Generates a key pair and signs it with <paramref name="identity"/>; the timestamp defaults to now.</summary>
    public static SignedPreKeyRecord Generate(IdentityKeyPair identity, uint id, ulong? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var keyPair = ECKeyPair.Generate();
        var signature = identity.PrivateKey.CalculateSignature(keyPair.PublicKey.Serialize());
        return new SignedPreKeyRecord(id, timestamp ?? KeyHelper.NowMilliseconds(), keyPair, signature);
    }

    /// <summary>True when <paramref name="identityKey"/> signed this prekey's public key.</summary>
    public bool VerifySignature(IdentityKey identityKey)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        return identityKey.PublicKey.VerifySignature(KeyPair.PublicKey.Serialize(), Signature);
    }

    public byte[] Serialize() => new SignedPreKeyRecordStructure
    {
        Id = Id,
        PublicKey = ByteString.CopyFrom(KeyPair.PublicKey.Serialize()),
        PrivateKey = ByteString.CopyFrom(KeyPair.PrivateKey.Serialize()),
        Signature = ByteString.CopyFrom(Signature),
        Timestamp = Timestamp,
    }.ToByteArray();

    public static SignedPreKeyRecord Deserialize(ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        return InvalidKeyMaterialException.Wrap("signed prekey record", () =>
        {
            var structure = SignedPreKeyRecordStructure.Parser.ParseFrom(copy);
            return new SignedPreKeyRecord(
                structure.Id,
                structure.Timestamp,
                new ECKeyPair(ECPublicKey.Deserialize(structure.PublicKey.Span), ECPrivateKey.Deserialize(structure.PrivateKey.Span)),
                structure.Signature.ToByteArray());
        });
    }
}
