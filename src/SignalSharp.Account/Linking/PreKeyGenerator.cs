using System.Security.Cryptography;
using SignalSharp.Protocol;
using SignalSharp.Service.Api;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Linking;

/// <summary>
/// Makes an identity's pre-keys, keeps their private halves in the store and returns the public upload.
/// Ids start at a random point (as Signal's apps do) so that keys of a re-linked device never collide with old ones.
/// </summary>
internal static class PreKeyGenerator
{
    public const int OneTimeCount = 100;

    /// <summary>The signed pre-key and Kyber last-resort key that linking presents, plus one-time keys.</summary>
    public static async Task<PreKeyUpload> GenerateAllAsync(ProtocolStores stores, int oneTimeCount, CancellationToken cancellationToken)
    {
        var identity = await stores.IdentityKeys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var signed = await GenerateSignedAsync(stores, identity, now, cancellationToken).ConfigureAwait(false);
        var lastResort = await GenerateLastResortAsync(stores, identity, now, cancellationToken).ConfigureAwait(false);
        var oneTime = await GenerateOneTimeAsync(stores, identity, oneTimeCount, cancellationToken).ConfigureAwait(false);
        return oneTime with { SignedPreKey = signed, PqLastResortPreKey = lastResort };
    }

    /// <summary>A new signed pre-key, stored; returns its public upload.</summary>
    public static async Task<SignedPreKeyEntity> GenerateSignedAsync(ProtocolStores stores, IdentityKeyPair identity, ulong now, CancellationToken cancellationToken)
    {
        var id = RandomId();
        var signed = SignedPreKeyRecord.Generate(identity, id, now);
        await stores.SignedPreKeys.StoreSignedPreKeyAsync(id, signed, cancellationToken).ConfigureAwait(false);
        return new SignedPreKeyEntity(id, signed.KeyPair.PublicKey.Serialize(), signed.Signature);
    }

    /// <summary>A new last-resort Kyber pre-key, stored; returns its public upload.</summary>
    public static async Task<SignedPreKeyEntity> GenerateLastResortAsync(ProtocolStores stores, IdentityKeyPair identity, ulong now, CancellationToken cancellationToken)
    {
        var id = RandomId();
        var lastResort = KyberPreKeyRecord.Generate(identity, id, now);
        await stores.KyberPreKeys.StoreLastResortKyberPreKeyAsync(id, lastResort, cancellationToken).ConfigureAwait(false);
        return new SignedPreKeyEntity(id, lastResort.KeyPair.PublicKey.Serialize(), lastResort.Signature);
    }

    /// <summary>One-time EC and Kyber keys only (a refill).</summary>
    public static async Task<PreKeyUpload> GenerateOneTimeAsync(ProtocolStores stores, IdentityKeyPair identity, int count, CancellationToken cancellationToken)
    {
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ecStart = RandomId();
        var kyberStart = RandomId();
        var preKeys = new List<PreKeyEntity>(count);
        var pqPreKeys = new List<SignedPreKeyEntity>(count);
        for (var i = 0u; i < count; i++)
        {
            var ec = PreKeyRecord.Generate(ecStart + i);
            await stores.PreKeys.StorePreKeyAsync(ec.Id, ec, cancellationToken).ConfigureAwait(false);
            preKeys.Add(new PreKeyEntity(ec.Id, ec.KeyPair.PublicKey.Serialize()));
            var kyber = KyberPreKeyRecord.Generate(identity, kyberStart + i, now);
            await stores.KyberPreKeys.StoreKyberPreKeyAsync(kyber.Id, kyber, cancellationToken).ConfigureAwait(false);
            pqPreKeys.Add(new SignedPreKeyEntity(kyber.Id, kyber.KeyPair.PublicKey.Serialize(), kyber.Signature));
        }

        return new PreKeyUpload { PreKeys = preKeys, PqPreKeys = pqPreKeys };
    }

    // Ids are 24-bit in Signal's apps; leave room for a batch above the start.
    private static uint RandomId() => (uint)RandomNumberGenerator.GetInt32(1, 0xFFFFFF - 10_000);
}
