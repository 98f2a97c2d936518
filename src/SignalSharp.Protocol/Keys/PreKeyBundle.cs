using SignalSharp.Crypto;

namespace SignalSharp.Protocol;

/// <summary>
/// The public keys a remote device publishes for session setup (PQXDH): identity key, signed EC prekey, signed
/// Kyber prekey and, optionally, a one-time EC prekey. Both prekey signatures must verify under the identity key
/// before a session may be built on it.
/// </summary>
public sealed class PreKeyBundle(
    uint RegistrationId,
    uint DeviceId,
    uint? PreKeyId,
    ECPublicKey? PreKeyPublic,
    uint SignedPreKeyId,
    ECPublicKey SignedPreKeyPublic,
    byte[] SignedPreKeySignature,
    IdentityKey IdentityKey,
    uint KyberPreKeyId,
    KemPublicKey KyberPreKeyPublic,
    byte[] KyberPreKeySignature)
{
    public uint RegistrationId { get; } = RegistrationId;

    public uint DeviceId { get; } = DeviceId;

    public uint? PreKeyId { get; } = PreKeyPublic is null ? null : PreKeyId;

    public ECPublicKey? PreKeyPublic { get; } = PreKeyId is null ? null : PreKeyPublic;

    public uint SignedPreKeyId { get; } = SignedPreKeyId;

    public ECPublicKey SignedPreKeyPublic { get; } = SignedPreKeyPublic ?? throw new ArgumentNullException(nameof(SignedPreKeyPublic));

    public byte[] SignedPreKeySignature { get; } = SignedPreKeySignature ?? throw new ArgumentNullException(nameof(SignedPreKeySignature));

    public IdentityKey IdentityKey { get; } = IdentityKey ?? throw new ArgumentNullException(nameof(IdentityKey));

    public uint KyberPreKeyId { get; } = KyberPreKeyId;

    public KemPublicKey KyberPreKeyPublic { get; } = KyberPreKeyPublic ?? throw new ArgumentNullException(nameof(KyberPreKeyPublic));

    public byte[] KyberPreKeySignature { get; } = KyberPreKeySignature ?? throw new ArgumentNullException(nameof(KyberPreKeySignature));

    /// <summary>
    /// Checks the signed-prekey signature (over the 33-byte key) and the Kyber-prekey signature (over the 1569-byte
    /// key) against the identity key, as libsignal's process_prekey_bundle does before any key agreement.
    /// </summary>
    /// <exception cref="InvalidSignatureException">either signature does not verify.</exception>
    public void VerifySignatures()
    {
        if (!IdentityKey.PublicKey.VerifySignature(SignedPreKeyPublic.Serialize(), SignedPreKeySignature))
        {
            throw new InvalidSignatureException("signature validation failed: signed prekey");
        }

        if (!IdentityKey.PublicKey.VerifySignature(KyberPreKeyPublic.Serialize(), KyberPreKeySignature))
        {
            throw new InvalidSignatureException("signature validation failed: Kyber prekey");
        }
    }

    /// <summary>Builds the bundle a device publishes from its own records.</summary>
    public static PreKeyBundle FromRecords(
        uint registrationId,
        uint deviceId,
        IdentityKey identityKey,
        SignedPreKeyRecord signedPreKey,
        KyberPreKeyRecord kyberPreKey,
        PreKeyRecord? preKey = null)
    {
        ArgumentNullException.ThrowIfNull(signedPreKey);
        ArgumentNullException.ThrowIfNull(kyberPreKey);
        return new PreKeyBundle(
            registrationId,
            deviceId,
            preKey?.Id,
            preKey?.KeyPair.PublicKey,
            signedPreKey.Id,
            signedPreKey.KeyPair.PublicKey,
            signedPreKey.Signature,
            identityKey,
            kyberPreKey.Id,
            kyberPreKey.KeyPair.PublicKey,
            kyberPreKey.Signature);
    }
}
