using SignalSharp.Protocol;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Storage;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Receiving;

/// <summary>The stores a decryption needs; for a batch, session and identity lookups go through per-batch caches.</summary>
internal sealed record CipherStores(
    ISessionStore Sessions,
    IIdentityKeyStore IdentityKeys,
    IPreKeyStore PreKeys,
    ISignedPreKeyStore SignedPreKeys,
    IKyberPreKeyStore KyberPreKeys,
    ISenderKeyStore SenderKeys)
{
    public static CipherStores Of(ProtocolStores stores) =>
        new(stores.Sessions, stores.IdentityKeys, stores.PreKeys, stores.SignedPreKeys, stores.KyberPreKeys, stores.SenderKeys);
}

/// <summary>
/// Sessions of one batch transaction, kept in memory between the envelopes of the batch and written once at the
/// end (<see cref="FlushAsync"/>, before the commit): a burst from one contact loads and stores its session once
/// instead of once per envelope. Records are held serialized and every load deserializes afresh, so a decryption
/// that changed its loaded record and then failed leaves nothing of that change behind (as with the SQLite store).
/// </summary>
internal sealed class BatchSessionStore(ISessionStore inner) : ISessionStore
{
    private readonly Dictionary<ProtocolAddress, byte[]?> records = [];
    private readonly HashSet<ProtocolAddress> changed = [];

    public async Task<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        if (records.TryGetValue(address, out var bytes))
        {
            return bytes is null ? null : SessionRecord.Deserialize(bytes);
        }

        var record = await inner.LoadSessionAsync(address, cancellationToken).ConfigureAwait(false);
        records[address] = record?.Serialize();
        return record;
    }

    public Task StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        records[address] = record.Serialize();
        changed.Add(address);
        return Task.CompletedTask;
    }

    /// <summary>Writes every session the batch changed to the transaction.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var address in changed)
        {
            await inner.StoreSessionAsync(address, SessionRecord.Deserialize(records[address]!), cancellationToken).ConfigureAwait(false);
        }

        changed.Clear();
    }
}

/// <summary>
/// Identities within one batch transaction: our own key pair and registration id are read once, and an identity
/// saved earlier in the batch is neither saved again nor looked up again (nothing else writes during the batch,
/// so the store would answer the same). Anything else goes to the transaction's store.
/// </summary>
internal sealed class BatchIdentityStore(IIdentityKeyStore inner) : IIdentityKeyStore
{
    private readonly Dictionary<ProtocolAddress, IdentityKey> saved = [];
    private IdentityKeyPair? keyPair;
    private uint? registrationId;

    public async Task<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) =>
        keyPair ??= await inner.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);

    public async Task<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default) =>
        registrationId ??= await inner.GetLocalRegistrationIdAsync(cancellationToken).ConfigureAwait(false);

    public async Task<IdentityChange> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default)
    {
        if (saved.TryGetValue(address, out var known) && known.Equals(identityKey))
        {
            return IdentityChange.NewOrUnchanged;
        }

        var change = await inner.SaveIdentityAsync(address, identityKey, cancellationToken).ConfigureAwait(false);
        saved[address] = identityKey;
        return change;
    }

    public Task<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, TrustDirection direction, CancellationToken cancellationToken = default) =>
        saved.TryGetValue(address, out var known) && known.Equals(identityKey)
            ? Task.FromResult(true)
            : inner.IsTrustedIdentityAsync(address, identityKey, direction, cancellationToken);

    public async Task<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default) =>
        saved.TryGetValue(address, out var known) ? known : await inner.GetIdentityAsync(address, cancellationToken).ConfigureAwait(false);
}

/// <summary>
/// The cached stores of one batch transaction, one set per identity the batch's envelopes were sent to (ACI, PNI),
/// made on first use; <see cref="FlushAsync"/> writes every cached session before the commit.
/// </summary>
internal sealed class BatchStoresByIdentity(AccountTransaction tx)
{
    private readonly Dictionary<AccountIdentity, (CipherStores Stores, BatchSessionStore Sessions, IdentityChangeWatch Identities)> cached = [];

    /// <summary>The stores to decrypt with, and the watch that reports a replaced identity key.</summary>
    public (CipherStores Stores, IdentityChangeWatch Identities) For(AccountIdentity identity)
    {
        if (!cached.TryGetValue(identity, out var entry))
        {
            var stores = CipherStores.Of(tx.ProtocolStores(identity));
            var sessions = new BatchSessionStore(stores.Sessions);
            var identities = new IdentityChangeWatch(new BatchIdentityStore(stores.IdentityKeys));
            entry = (stores with { Sessions = sessions, IdentityKeys = identities }, sessions, identities);
            cached[identity] = entry;
        }

        return (entry.Stores, entry.Identities);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var (_, sessions, _) in cached.Values)
        {
            await sessions.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
