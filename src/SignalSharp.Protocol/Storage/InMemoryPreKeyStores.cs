using System.Collections.Concurrent;
using SignalSharp.Crypto;

namespace SignalSharp.Protocol.Storage;

/// <summary>One-time prekeys held in memory.</summary>
public sealed class InMemoryPreKeyStore : IPreKeyStore
{
    private readonly ConcurrentDictionary<uint, PreKeyRecord> records = new();

    public Task<PreKeyRecord> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default) =>
        records.TryGetValue(preKeyId, out var record)
            ? Task.FromResult(record)
            : Task.FromException<PreKeyRecord>(new InvalidKeyIdException(preKeyId, PreKeyType.PreKey));

    public Task StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        records[preKeyId] = record;
        return Task.CompletedTask;
    }

    public Task RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
    {
        records.TryRemove(preKeyId, out _);
        return Task.CompletedTask;
    }

    /// <summary>Whether a prekey with this id is present (lets tests observe removal).</summary>
    public bool Contains(uint preKeyId) => records.ContainsKey(preKeyId);
}

/// <summary>Signed prekeys held in memory.</summary>
public sealed class InMemorySignedPreKeyStore : ISignedPreKeyStore
{
    private readonly ConcurrentDictionary<uint, SignedPreKeyRecord> records = new();

    public Task<SignedPreKeyRecord> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default) =>
        records.TryGetValue(signedPreKeyId, out var record)
            ? Task.FromResult(record)
            : Task.FromException<SignedPreKeyRecord>(new InvalidKeyIdException(signedPreKeyId, PreKeyType.SignedPreKey));

    public Task StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        records[signedPreKeyId] = record;
        return Task.CompletedTask;
    }

    public bool Contains(uint signedPreKeyId) => records.ContainsKey(signedPreKeyId);
}

/// <summary>
/// Kyber prekeys held in memory. One-time keys are deleted when marked used. Last-resort keys stay, but a repeated
/// (Kyber id, signed prekey id, base key) combination is refused, which is what libsignal asks of apps.
/// </summary>
public sealed class InMemoryKyberPreKeyStore : IKyberPreKeyStore
{
    private readonly ConcurrentDictionary<uint, KyberPreKeyRecord> records = new();
    private readonly ConcurrentDictionary<uint, bool> lastResort = new();
    private readonly ConcurrentDictionary<(uint Kyber, uint Signed, ECPublicKey BaseKey), bool> usedLastResort = new();

    public Task<KyberPreKeyRecord> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default) =>
        records.TryGetValue(kyberPreKeyId, out var record)
            ? Task.FromResult(record)
            : Task.FromException<KyberPreKeyRecord>(new InvalidKeyIdException(kyberPreKeyId, PreKeyType.KyberPreKey));

    public Task StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        records[kyberPreKeyId] = record;
        lastResort.TryRemove(kyberPreKeyId, out _);
        return Task.CompletedTask;
    }

    /// <summary>Stores a last-resort key: it survives use.</summary>
    public Task StoreLastResortKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        records[kyberPreKeyId] = record;
        lastResort[kyberPreKeyId] = true;
        return Task.CompletedTask;
    }

    public Task MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default)
    {
        if (!lastResort.ContainsKey(kyberPreKeyId))
        {
            records.TryRemove(kyberPreKeyId, out _);
        }

        return Task.CompletedTask;
    }

    public Task MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, ECPublicKey baseKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseKey);
        if (lastResort.ContainsKey(kyberPreKeyId) && !usedLastResort.TryAdd((kyberPreKeyId, signedPreKeyId, baseKey), true))
        {
            return Task.FromException(new InvalidKeyIdException(kyberPreKeyId, PreKeyType.KyberPreKey));
        }

        return MarkKyberPreKeyUsedAsync(kyberPreKeyId, cancellationToken);
    }

    public bool Contains(uint kyberPreKeyId) => records.ContainsKey(kyberPreKeyId);
}
