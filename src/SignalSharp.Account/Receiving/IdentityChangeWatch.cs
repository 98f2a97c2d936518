using SignalSharp.Protocol;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// Passes identity operations through and remembers which senders' stored identity keys a decryption replaced (a
/// contact who reinstalled, or someone claiming to be them): the pipeline reports each such change to clients
/// with the new safety number instead of letting the new key slip in unnoticed.
/// </summary>
internal sealed class IdentityChangeWatch(IIdentityKeyStore inner) : IIdentityKeyStore
{
    private readonly Dictionary<string, IdentityKey> replaced = [];

    /// <summary>The new key of <paramref name="name"/> if one replaced its old key since the last call, and forgets it.</summary>
    public IdentityKey? Take(string name) => replaced.Remove(name, out var key) ? key : null;

    public Task<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) => inner.GetIdentityKeyPairAsync(cancellationToken);

    public Task<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default) => inner.GetLocalRegistrationIdAsync(cancellationToken);

    public async Task<IdentityChange> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default)
    {
        var change = await inner.SaveIdentityAsync(address, identityKey, cancellationToken).ConfigureAwait(false);
        if (change == IdentityChange.ReplacedExisting)
        {
            replaced[address.Name] = identityKey;
        }

        return change;
    }

    public Task<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, TrustDirection direction, CancellationToken cancellationToken = default) =>
        inner.IsTrustedIdentityAsync(address, identityKey, direction, cancellationToken);

    public Task<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default) =>
        inner.GetIdentityAsync(address, cancellationToken);
}
