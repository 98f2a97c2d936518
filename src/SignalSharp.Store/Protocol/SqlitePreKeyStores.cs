using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Storage;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>One-time EC prekeys of one account identity, in SQLite.</summary>
public sealed class SqlitePreKeyStore : IPreKeyStore
{
    private readonly IdentityRecords<PreKeyTable, PreKeyRecord> records;

    internal SqlitePreKeyStore(StoreScope scope, AccountIdentity identity)
        => records = new(new PreKeyTable(scope), identity, PreKeyType.PreKey, bytes => PreKeyRecord.Deserialize(bytes));

    public Task<PreKeyRecord> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
        => records.LoadAsync(preKeyId, cancellationToken);

    public Task StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return records.StoreAsync(preKeyId, record.Serialize(), cancellationToken);
    }

    public Task RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken = default)
        => records.RemoveAsync(preKeyId, cancellationToken);

    /// <summary>Ids present, ascending (for refill and for choosing the next id).</summary>
    public Task<IReadOnlyList<uint>> ListIdsAsync(CancellationToken cancellationToken = default) => records.ListIdsAsync(cancellationToken);

    /// <summary>The server no longer holds the keys stored so far (a new batch replaces its list): they are stale since <paramref name="now"/>.</summary>
    public Task<int> MarkAllStaleAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
        => records.Table.MarkStaleAsync(records.Identity, now.ToUnixTimeMilliseconds(), cancellationToken);

    /// <summary>Deletes keys stale since before <paramref name="before"/>, keeping the <paramref name="keep"/> newest; returns how many went.</summary>
    public Task<int> RemoveStaleAsync(DateTimeOffset before, int keep, CancellationToken cancellationToken = default)
        => records.Table.RemoveStaleAsync(records.Identity, before.ToUnixTimeMilliseconds(), keep, cancellationToken);
}

/// <summary>Signed EC prekeys of one account identity, in SQLite.</summary>
public sealed class SqliteSignedPreKeyStore : ISignedPreKeyStore
{
    private readonly IdentityRecords<SignedPreKeyTable, SignedPreKeyRecord> records;

    internal SqliteSignedPreKeyStore(StoreScope scope, AccountIdentity identity)
        => records = new(new SignedPreKeyTable(scope), identity, PreKeyType.SignedPreKey, bytes => SignedPreKeyRecord.Deserialize(bytes));

    public Task<SignedPreKeyRecord> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default)
        => records.LoadAsync(signedPreKeyId, cancellationToken);

    public Task StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return records.StoreAsync(signedPreKeyId, record.Serialize(), cancellationToken);
    }

    /// <summary>Removes an old signed prekey after rotation.</summary>
    public Task RemoveSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken = default)
        => records.RemoveAsync(signedPreKeyId, cancellationToken);

    public Task<IReadOnlyList<uint>> ListIdsAsync(CancellationToken cancellationToken = default) => records.ListIdsAsync(cancellationToken);
}

/// <summary>
/// Kyber prekeys of one account identity, in SQLite. A one-time key marked used can no longer be loaded (its row
/// keeps a used flag until <see cref="RemoveUsedAsync"/>); a last-resort key stays usable, but the same
/// (Kyber id, signed prekey id, base key) combination is refused a second time, as libsignal asks of stores.
/// </summary>
public sealed class SqliteKyberPreKeyStore : IKyberPreKeyStore
{
    private readonly IdentityRecords<KyberPreKeyTable, KyberPreKeyRecord> records;

    internal SqliteKyberPreKeyStore(StoreScope scope, AccountIdentity identity)
        => records = new(new KyberPreKeyTable(scope), identity, PreKeyType.KyberPreKey, bytes => KyberPreKeyRecord.Deserialize(bytes));

    private KyberPreKeyTable Table => records.Table;

    private AccountIdentity Identity => records.Identity;

    public async Task<KyberPreKeyRecord> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default)
        => records.ParseOrThrow(kyberPreKeyId, await Table.LoadUsableAsync(Identity, kyberPreKeyId, cancellationToken).ConfigureAwait(false));

    public Task StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Table.StoreAsync(Identity, kyberPreKeyId, record.Serialize(), isLastResort: false, cancellationToken);
    }

    /// <summary>Stores a last-resort key: it survives use.</summary>
    public Task StoreLastResortKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Table.StoreAsync(Identity, kyberPreKeyId, record.Serialize(), isLastResort: true, cancellationToken);
    }

    public Task MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default)
        => Table.MarkUsedAsync(Identity, kyberPreKeyId, cancellationToken);

    public async Task MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, ECPublicKey baseKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseKey);
        if (await Table.IsLastResortAsync(Identity, kyberPreKeyId, cancellationToken).ConfigureAwait(false)
            && !await Table.RecordLastResortUseAsync(Identity, kyberPreKeyId, signedPreKeyId, baseKey.Serialize(), cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidKeyIdException(kyberPreKeyId, PreKeyType.KyberPreKey);
        }

        await Table.MarkUsedAsync(Identity, kyberPreKeyId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One-time keys not yet used (the server's count should match; refill when low).</summary>
    public Task<int> CountUnusedOneTimeAsync(CancellationToken cancellationToken = default) => Table.CountUnusedOneTimeAsync(Identity, cancellationToken);

    /// <summary>Ids of the last-resort keys kept (the current one and those kept for a grace period after rotation).</summary>
    public Task<IReadOnlyList<uint>> ListLastResortIdsAsync(CancellationToken cancellationToken = default) => Table.ListLastResortIdsAsync(Identity, cancellationToken);

    /// <summary>Removes a key outright (an old last-resort key after its grace period).</summary>
    public Task RemoveKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken = default) => records.RemoveAsync(kyberPreKeyId, cancellationToken);

    /// <summary>Deletes used one-time keys.</summary>
    public Task<int> RemoveUsedAsync(CancellationToken cancellationToken = default) => Table.RemoveUsedAsync(Identity, cancellationToken);

    /// <summary>The server no longer holds the one-time keys stored so far: they are stale since <paramref name="now"/>.</summary>
    public Task<int> MarkAllOneTimeStaleAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
        => Table.MarkStaleAsync(Identity, now.ToUnixTimeMilliseconds(), cancellationToken);

    /// <summary>Deletes one-time keys stale since before <paramref name="before"/>, keeping the <paramref name="keep"/> newest; returns how many went.</summary>
    public Task<int> RemoveStaleOneTimeAsync(DateTimeOffset before, int keep, CancellationToken cancellationToken = default)
        => Table.RemoveStaleAsync(Identity, before.ToUnixTimeMilliseconds(), keep, cancellationToken);

    public Task<IReadOnlyList<uint>> ListIdsAsync(CancellationToken cancellationToken = default) => records.ListIdsAsync(cancellationToken);
}
