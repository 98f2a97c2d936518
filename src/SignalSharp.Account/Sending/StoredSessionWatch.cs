using SignalSharp.Protocol;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Account.Sending;

/// <summary>
/// A session store for one encryption that remembers the record the cipher stored, so that the ciphertext can carry the
/// device's registration id without reading and parsing the session again from the database.
/// </summary>
internal sealed class StoredSessionWatch(ISessionStore inner) : ISessionStore
{
    /// <summary>The record last stored through this store, or null if none was.</summary>
    public SessionRecord? Stored { get; private set; }

    public Task<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default) =>
        inner.LoadSessionAsync(address, cancellationToken);

    public async Task StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken = default)
    {
        await inner.StoreSessionAsync(address, record, cancellationToken).ConfigureAwait(false);
        Stored = record;
    }
}
