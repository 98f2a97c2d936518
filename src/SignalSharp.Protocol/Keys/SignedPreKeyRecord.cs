using SignalSharp.Crypto;

namespace SignalSharp.Protocol;

/// <summary>
/// A signed EC prekey: the identity key's XEdDSA signature covers the 33-byte serialized public key. Stored in
/// libsignal's SignedPreKeyRecordStructure (see <see cref="SignedKeyRecordFormat"/>).
/// </summary>
public sealed record SignedPreKeyRecord(uint Id, ulong Timestamp, ECKeyPair KeyPair, byte[] Signature)
{
    /// <summary>Generates a key pair and signs it with <paramref name="identity"/>; the timestamp defaults to now.</summary>
    public static SignedPreKeyRecord Generate(IdentityKeyPair identity, uint id, ulong? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var keyPair = ECKeyPair.Generate();
        return new SignedPreKeyRecord(id, timestamp ?? KeyHelper.NowMilliseconds(), keyPair,
            SignedKeyRecordFormat.Sign(identity, keyPair.PublicKey.Serialize()));
    }

    /// <summary>True when <paramref name="identityKey"/> signed this prekey's public key.</summary>
    public bool VerifySignature(IdentityKey identityKey)
        => SignedKeyRecordFormat.Verify(identityKey, KeyPair.PublicKey.Serialize(), Signature);

    public byte[] Serialize()
        => SignedKeyRecordFormat.Serialize(Id, Timestamp, KeyPair.PublicKey.Serialize(), KeyPair.PrivateKey.Serialize(), Signature);

    public static SignedPreKeyRecord Deserialize(ReadOnlySpan<byte> bytes)
        => SignedKeyRecordFormat.Deserialize(bytes, "signed prekey record", s => new SignedPreKeyRecord(
            s.Id,
            s.Timestamp,
            new ECKeyPair(ECPublicKey.Deserialize(s.PublicKey.Span), ECPrivateKey.Deserialize(s.PrivateKey.Span)),
            s.Signature.ToByteArray()));
}
