using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Proto.StorageKeys;

namespace SignalSharp.Protocol;

/// <summary>
/// A signed Kyber1024 prekey (one-time or last-resort; the difference is how the store treats it after use). The
/// identity key's signature covers the 1569-byte serialized KEM public key. Stored, as in libsignal, in the
/// SignedPreKeyRecordStructure layout with typed KEM keys.
/// </summary>
public sealed record KyberPreKeyRecord(uint Id, ulong Timestamp, KemKeyPair KeyPair, byte[] Signature)
{
    public static KyberPreKeyRecord Generate(IdentityKeyPair identity, uint id, ulong? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var keyPair = KemKeyPair.Generate();
        var signature = identity.PrivateKey.CalculateSignature(keyPair.PublicKey.Serialize());
        return new KyberPreKeyRecord(id, timestamp ?? KeyHelper.NowMilliseconds(), keyPair, signature);
    }

    public bool VerifySignature(IdentityKey identityKey)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        return identityKey.PublicKey.VerifySignature(KeyPair.PublicKey.Serialize(), Signature);
    }

    public byte[] Serialize() => new SignedPreKeyRecordStructure
    {
        Id = Id,
        PublicKey = ByteString.CopyFrom(KeyPair.PublicKey.Serialize()),
        PrivateKey = ByteString.CopyFrom(KeyPair.SecretKey.Serialize()),
        Signature = ByteString.CopyFrom(Signature),
        Timestamp = Timestamp,
    }.ToByteArray();

    public static KyberPreKeyRecord Deserialize(ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        return InvalidKeyMaterialException.Wrap("Kyber prekey record", () =>
        {
            var structure = SignedPreKeyRecordStructure.Parser.ParseFrom(copy);
            return new KyberPreKeyRecord(
                structure.Id,
                structure.Timestamp,
                new KemKeyPair(KemPublicKey.Deserialize(structure.PublicKey.Span), KemSecretKey.Deserialize(structure.PrivateKey.Span)),
                structure.Signature.ToByteArray());
        });
    }
}
