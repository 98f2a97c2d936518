using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Storage;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>One-time EC prekeys of one account identity, in SQLite.</summary>
public sealed class SqlitePreKeyStore : IPreKeyStore
{
    private readonly PreKeyTable _table;
    private readonly AccountIdentity _identity;

    internal SqlitePreKeyStore(StoreScope scope, AccountIdentity identity)
    {
        _table = new PreKeyTable(scope);
        _identity = identity;
    }

    public async Task<PreKeyRecord> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
        => await _table.LoadAsync(_identity, preKeyId, cancellationToken).ConfigureAwait(false) is { } bytes
            ? PreKeyRecord.Deserialize(bytes)
            : throw new InvalidKeyIdException(preKeyId, PreKeyType.PreKey);

    public Task StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _table.StoreAsync(_identity, preKeyId, record.Serialize(), cancellationToken);
    }

    public Task RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
        => _table.RemoveAsync(_identity, preKeyId, cancellationToken);

    /// <summary>Ids present, ascending (for refill and for choosing the next id).</summary>
    public Task<IReadOnlyList<uint>> ListIdsAsync(CancellationToken cancellationToken = default) => _table.ListIdsAsync(_identity, cancellationToken);
}

/// <summary>Signed EC prekeys of one account identity, in SQLite.</summary>
public sealed class SqliteSignedPreKeyStore : ISignedPreKeyStore
{
    private readonly SignedPreKeyTable _table;
    private readonly AccountIdentity _identity;

    internal SqliteSignedPreKeyStore(StoreScope scope, AccountIdentity identity)
    {
        _table = new SignedPreKeyTable(scope);
        _identity = identity;
    }

    public async Task<SignedPreKeyRecord> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default)
        => await _table.LoadAsync(_identity, signedPreKeyId, cancellationToken).ConfigureAwait(false) is { } bytes
            ? SignedPreKeyRecord.Deserialize(bytes)
            : throw new InvalidKeyIdException(signedPreKeyId, PreKeyType.SignedPreKey);

    public Task StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _table.StoreAsync(_identity, signedPreKeyId, record.Serialize(), cancellationToken);
    }

    /// <summary>Removes an old signed prekey after rotation.</summary>
    public Task RemoveSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default)
        => _table.RemoveAsync(_identity, signedPreKeyId, cancellationToken);

    public Task<IReadOnlyList<uint>> ListIdsAsync(CancellationToken cancellationToken = default) => _table.ListIdsAsync(_identity, cancellationToken);
}

/// <summary>
/// Kyber prekeys of one account identity, in SQLite. A one-time key marked used can no longer be loaded (its row
/// keeps a used flag until <see cref="RemoveUsedAsync"/>); a last-resort key stays usable, but the same
/// (Kyber id, signed prekey id, base key) combination is refused a second time, as libsignal asks of stores.
/// </summary>
public sealed class SqliteKyberPreKeyStore : IKyberPreKeyStore
{
    private readonly KyberPreKeyTable _table;
    private readonly AccountIdentity _identity;

    internal SqliteKyberPreKeyStore(StoreScope scope, AccountIdentity identity)
    {
        _table = new KyberPreKeyTable(scope);
        _identity = identity;
    }

    public async Task<KyberPreKeyRecord> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default)
        => await _table.LoadUsableAsync(_identity, kyberPreKeyId, cancellationToken).ConfigureAwait(false) is { } bytes
            ? KyberPreKeyRecord.Deserialize(bytes)
            : throw new InvalidKeyIdException(kyberPreKeyId, PreKeyType.KyberPreKey);

    public Task StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _table.StoreAsync(_identity, kyberPreKeyId, record.Serialize(), isLastResort: false, cancellationToken);
    }

    /// <summary>Stores a last-resort key: it survives use.</summary>
    public Task StoreLastResortKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _table.StoreAsync(_identity, kyberPreKeyId, record.Serialize(), isLastResort: true, cancellationToken);
    }

    public Task MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default)
        => _table.MarkUsedAsync(_identity, kyberPreKeyId, cancellationToken);

    public async Task MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, ECPublicKey baseKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseKey);
        if (await _table.IsLastResortAsync(_identity, kyberPreKeyId, cancellationToken).ConfigureAwait(false)
            && !await _table.RecordLastResortUseAsync(_identity, kyberPreKeyId, signedPreKeyId, baseKey.Serialize(), cancellationToken).ConfigureAwait(false))
            throw new InvalidKeyIdException(kyberPreKeyId, PreKeyType.KyberPreKey);
        await _table.MarkUsedAsync(_identity, kyberPreKeyId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One-time keys not yet used (the server's count should match; refill when low).</summary>
    public Task<int> CountUnusedOneTimeAsync(CancellationToken cancellationToken = default) => _table.CountUnusedOneTimeAsync(_identity, cancellationToken);

    /// <summary>Deletes used one-time keys.</summary>
    public Task<int> RemoveUsedAsync(CancellationToken cancellationToken = default) => _table.RemoveUsedAsync(_identity, cancellationToken);

    public Task<IReadOnlyList<uint>> ListIdsAsync(CancellationToken cancellationToken = default) => _table.ListIdsAsync(_identity, cancellationToken);
}
