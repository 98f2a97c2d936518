using System.Collections.Concurrent;
using SignalSharp.Protocol.SenderKeys;

namespace SignalSharp.Protocol.Storage;

/// <summary>Keeps serialized records, so a caller mutating a loaded record changes nothing until it stores it.</summary>
public sealed class InMemorySenderKeyStore : ISenderKeyStore
{
    private readonly ConcurrentDictionary<(ProtocolAddress, Guid), byte[]> records = new();

    public Task StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken = default)
    {
        records[(sender, distributionId)] = record.Serialize();
        return Task.CompletedTask;
    }

    public Task<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(records.TryGetValue((sender, distributionId), out var bytes) ? SenderKeyRecord.Deserialize(bytes) : null);
}
