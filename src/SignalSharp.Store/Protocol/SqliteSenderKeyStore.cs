using SignalSharp.Protocol;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Storage;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>Sender key records, in SQLite (group messaging uses the ACI only).</summary>
public sealed class SqliteSenderKeyStore : ISenderKeyStore
{
    private readonly SenderKeyTable table;

    internal SqliteSenderKeyStore(StoreScope scope) => table = new SenderKeyTable(scope);

    public Task StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return table.StoreAsync(sender.Name, sender.DeviceId, distributionId, record.Serialize(), cancellationToken);
    }

    public async Task<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default)
        => await table.LoadAsync(sender.Name, sender.DeviceId, distributionId, cancellationToken).ConfigureAwait(false) is { } bytes
            ? SenderKeyRecord.Deserialize(bytes)
            : null;

    /// <summary>Forgets every sender key of <paramref name="name"/> (e.g. after their identity changed).</summary>
    public Task<int> DeleteAllAsync(string name, CancellationToken cancellationToken = default) => table.DeleteForAsync(name, cancellationToken);
}
