using SignalSharp.Protocol.Sessions;

namespace SignalSharp.Protocol.Storage;

/// <summary>Where session records live, one per remote address (name + device).</summary>
public interface ISessionStore
{
    /// <summary>The record for an address, or null if none was stored.</summary>
    Task<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default);

    /// <summary>Stores (replaces) the record for an address.</summary>
    Task StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default);
}
