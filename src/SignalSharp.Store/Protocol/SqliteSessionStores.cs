using SignalSharp.Protocol;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Storage;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>Session records of one account identity, in SQLite. Each load deserializes afresh, so a caller's
/// unsaved changes to a loaded record never reach the store.</summary>
public sealed class SqliteSessionStore : ISessionStore
{
    private readonly SessionTable _table;
    private readonly AccountIdentity _identity;

    internal SqliteSessionStore(StoreScope scope, AccountIdentity identity)
    {
        _table = new SessionTable(scope);
        _identity = identity;
    }

    public async Task<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        => await _table.LoadAsync(_identity, address.Name, address.DeviceId, cancellationToken).ConfigureAwait(false) is { } bytes
            ? SessionRecord.Deserialize(bytes)
            : null;

    public Task StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _table.StoreAsync(_identity, address.Name, address.DeviceId, record.Serialize(), cancellationToken);
    }

    /// <summary>The device ids of <paramref name="name"/> that we hold sessions with.</summary>
    public Task<IReadOnlyList<uint>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default)
        => _table.ListDevicesAsync(_identity, name, cancellationToken);

    /// <summary>Forgets one device's session (e.g. on 410 stale devices).</summary>
    public Task<bool> DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        => _table.DeleteAsync(_identity, address.Name, address.DeviceId, cancellationToken);

    public Task<int> DeleteAllSessionsAsync(string name, CancellationToken cancellationToken = default)
        => _table.DeleteAllAsync(_identity, name, cancellationToken);
}

/// <summary>Sender key records, in SQLite (group messaging uses the ACI only).</summary>
public sealed class SqliteSenderKeyStore : ISenderKeyStore
{
    private readonly SenderKeyTable _table;

    internal SqliteSenderKeyStore(StoreScope scope) => _table = new SenderKeyTable(scope);

    public Task StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _table.StoreAsync(sender.Name, sender.DeviceId, distributionId, record.Serialize(), cancellationToken);
    }

    public async Task<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default)
        => await _table.LoadAsync(sender.Name, sender.DeviceId, distributionId, cancellationToken).ConfigureAwait(false) is { } bytes
            ? SenderKeyRecord.Deserialize(bytes)
            : null;

    /// <summary>Forgets every sender key of <paramref name="name"/> (e.g. after their identity changed).</summary>
    public Task<int> DeleteAllAsync(string name, CancellationToken cancellationToken = default) => _table.DeleteForAsync(name, cancellationToken);
}

/// <summary>The six protocol stores for one account identity, all bound to the same database or transaction.</summary>
public sealed class ProtocolStores
{
    internal ProtocolStores(StoreScope scope, AccountIdentity identity, TrustNewIdentities trust)
    {
        Identity = identity;
        IdentityKeys = new SqliteIdentityKeyStore(scope, identity, trust);
        PreKeys = new SqlitePreKeyStore(scope, identity);
        SignedPreKeys = new SqliteSignedPreKeyStore(scope, identity);
        KyberPreKeys = new SqliteKyberPreKeyStore(scope, identity);
        Sessions = new SqliteSessionStore(scope, identity);
        SenderKeys = new SqliteSenderKeyStore(scope);
    }

    public AccountIdentity Identity { get; }
    public SqliteIdentityKeyStore IdentityKeys { get; }
    public SqlitePreKeyStore PreKeys { get; }
    public SqliteSignedPreKeyStore SignedPreKeys { get; }
    public SqliteKyberPreKeyStore KyberPreKeys { get; }
    public SqliteSessionStore Sessions { get; }
    public SqliteSenderKeyStore SenderKeys { get; }
}
