using SignalSharp.Protocol;

namespace SignalSharp.Store.Protocol;

/// <summary>
/// What the SQLite prekey stores share: the records of one account identity in one <see cref="IdRecordTable"/>,
/// parsed by the protocol library, and libsignal's "no such key" error (with the store's <see cref="PreKeyType"/>)
/// when an id is absent, so that session setup reports a missing key the same way for every kind of prekey.
/// </summary>
internal sealed class IdentityRecords<TTable, TRecord>(TTable table, AccountIdentity identity, PreKeyType type, Func<byte[], TRecord> parse)
    where TTable : IdRecordTable
{
    public TTable Table => table;

    public AccountIdentity Identity => identity;

    /// <summary>The parsed record, or <see cref="InvalidKeyIdException"/> when the table had none.</summary>
    public TRecord ParseOrThrow(uint id, byte[]? bytes) => bytes is null ? throw new InvalidKeyIdException(id, type) : parse(bytes);

    public async Task<TRecord> LoadAsync(uint id, CancellationToken cancellationToken)
        => ParseOrThrow(id, await table.LoadAsync(identity, id, cancellationToken).ConfigureAwait(false));

    public Task StoreAsync(uint id, byte[] record, CancellationToken cancellationToken) => table.StoreAsync(identity, id, record, cancellationToken);

    public Task RemoveAsync(uint id, CancellationToken cancellationToken) => table.RemoveAsync(identity, id, cancellationToken);

    public Task<IReadOnlyList<uint>> ListIdsAsync(CancellationToken cancellationToken) => table.ListIdsAsync(identity, cancellationToken);
}
