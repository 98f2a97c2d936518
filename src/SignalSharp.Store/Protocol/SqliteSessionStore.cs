using SignalSharp.Protocol;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Storage;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>Session records of one account identity, in SQLite. Each load deserializes afresh, so a caller's
/// unsaved changes to a loaded record never reach the store.</summary>
public sealed class SqliteSessionStore : ISessionStore
{
    private readonly SessionTable table;
    private readonly AccountIdentity identity;

    internal SqliteSessionStore(StoreScope scope, AccountIdentity identity)
    {
        table = new SessionTable(scope);
        this.identity = identity;
    }

    public async Task<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        => await table.LoadAsync(this.identity, address.Name, address.DeviceId, cancellationToken).ConfigureAwait(false) is { } bytes
            ? SessionRecord.Deserialize(bytes)
            : null;

    public Task StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return table.StoreAsync(this.identity, address.Name, address.DeviceId, record.Serialize(), cancellationToken);
    }

    /// <summary>The device ids of <paramref name="name"/> that we hold sessions with.</summary>
    public Task<IReadOnlyList<uint>> GetDeviceIdsAsync(string name, CancellationToken cancellationToken = default)
        => table.ListDevicesAsync(this.identity, name, cancellationToken);

    /// <summary>Forgets one device's session (e.g. on 410 stale devices).</summary>
    public Task<bool> DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
        => table.DeleteAsync(this.identity, address.Name, address.DeviceId, cancellationToken);

    public Task<int> DeleteAllSessionsAsync(string name, CancellationToken cancellationToken = default)
        => table.DeleteAllAsync(this.identity, name, cancellationToken);
}
