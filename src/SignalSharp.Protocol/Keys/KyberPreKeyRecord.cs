using SignalSharp.Crypto;

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
        return new KyberPreKeyRecord(id, timestamp ?? KeyHelper.NowMilliseconds(), keyPair,
            SignedKeyRecordFormat.Sign(identity, keyPair.PublicKey.Serialize()));
    }

    public bool VerifySignature(IdentityKey identityKey)
        => SignedKeyRecordFormat.Verify(identityKey, KeyPair.PublicKey.Serialize(), Signature);

    public byte[] Serialize()
        => SignedKeyRecordFormat.Serialize(Id, Timestamp, KeyPair.PublicKey.Serialize(), KeyPair.SecretKey.Serialize(), Signature);

    public static KyberPreKeyRecord Deserialize(ReadOnlySpan<byte> bytes)
        => SignedKeyRecordFormat.Deserialize(bytes, "Kyber prekey record", s => new KyberPreKeyRecord(
            s.Id,
            s.Timestamp,
            new KemKeyPair(KemPublicKey.Deserialize(s.PublicKey.Span), KemSecretKey.Deserialize(s.PrivateKey.Span)),
            s.Signature.ToByteArray()));
}
