using SignalSharp.Crypto;

namespace SignalSharp.Protocol.Storage;

/// <summary>One-time EC prekeys, removed once a session has used them.</summary>
public interface IPreKeyStore
{
    /// <exception cref="InvalidKeyIdException">no prekey has this id.</exception>
    Task<PreKeyRecord> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default);

    Task StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default);

    Task RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default);
}

/// <summary>Signed EC prekeys. libsignal never deletes them during session setup; rotation is the app's business.</summary>
public interface ISignedPreKeyStore
{
    /// <exception cref="InvalidKeyIdException">no signed prekey has this id.</exception>
    Task<SignedPreKeyRecord> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default);

    Task StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default);
}

/// <summary>Signed Kyber prekeys, one-time or last-resort.</summary>
public interface IKyberPreKeyStore
{
    /// <exception cref="InvalidKeyIdException">no Kyber prekey has this id.</exception>
    Task<KyberPreKeyRecord> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default);

    Task StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default);

    /// <summary>Called after a PreKeySignalMessage using this key decrypted: a one-time key is deleted here.</summary>
    Task MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// libsignal 0.100's form, which also names the signed prekey and the initiator's base key so that a store can
    /// reject a replayed (Kyber, signed prekey, base key) combination on a last-resort key. Defaults to the short form.
    /// </summary>
    Task MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, ECPublicKey baseKey, CancellationToken cancellationToken = default) =>
        MarkKyberPreKeyUsedAsync(kyberPreKeyId, cancellationToken);
}
