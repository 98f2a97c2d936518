using System.Collections.Concurrent;
using SignalSharp.Protocol.Sessions;

namespace SignalSharp.Protocol.Storage;

/// <summary>
/// Session records in a dictionary, for tests and benchmarks. Records are copied on the way in and out so a
/// caller's uncommitted changes never reach the store.
/// </summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly ConcurrentDictionary<ProtocolAddress, SessionRecord> records = new();

    public Task<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) =>
        Task.FromResult(records.TryGetValue(address, out var record) ? record.Clone() : null);

    public Task StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
    {
        records[address] = record.Clone();
        return Task.CompletedTask;
    }
}
