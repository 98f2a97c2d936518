using System.Collections.Concurrent;

namespace SignalSharp.Protocol.Storage;

/// <summary>
/// Identity store for tests and ephemeral use. Trust on first use: an address never seen is trusted; once a key is
/// saved, a different key is untrusted (in both directions) until the application saves it explicitly.
/// </summary>
public sealed class InMemoryIdentityKeyStore(IdentityKeyPair identityKeyPair, uint registrationId) : IIdentityKeyStore
{
    private readonly ConcurrentDictionary<ProtocolAddress, IdentityKey> identities = new();

    public Task<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) => Task.FromResult(identityKeyPair);

    public Task<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default) => Task.FromResult(registrationId);

    public Task<IdentityChange> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        var change = IdentityChange.NewOrUnchanged;
        identities.AddOrUpdate(
            address,
            identityKey,
            (_, existing) =>
            {
                change = existing.Equals(identityKey) ? IdentityChange.NewOrUnchanged : IdentityChange.ReplacedExisting;
                return identityKey;
            });
        return Task.FromResult(change);
    }

    public Task<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, TrustDirection direction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        return Task.FromResult(!identities.TryGetValue(address, out var known) || known.Equals(identityKey));
    }

    public Task<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default) =>
        Task.FromResult(identities.TryGetValue(address, out var known) ? known : null);
}
