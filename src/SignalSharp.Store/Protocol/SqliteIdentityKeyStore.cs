using SignalSharp.Protocol;
using SignalSharp.Protocol.Storage;
using SignalSharp.Store.Errors;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>
/// The account's identity store in SQLite: its own key pair and registration id for one
/// <see cref="AccountIdentity"/>, and the remote identities (shared by ACI and PNI) with a trust level each.
/// Sending needs a trusted key: an unknown address is trusted (it becomes known on save), a stored key is
/// trusted unless its level is <see cref="TrustLevel.Untrusted"/>, a key differing from the stored one is not.
/// Receiving is never refused for trust reasons, as in Signal's apps: a contact who reinstalled can still
/// write, and the changed key then blocks sending to them until the user trusts it.
/// </summary>
public sealed class SqliteIdentityKeyStore : IIdentityKeyStore
{
    private readonly OwnIdentityTable _own;
    private readonly IdentityTable _identities;
    private readonly AccountIdentity _identity;
    private readonly TrustNewIdentities _policy;

    internal SqliteIdentityKeyStore(StoreScope scope, AccountIdentity identity, TrustNewIdentities policy)
    {
        _own = new OwnIdentityTable(scope);
        _identities = new IdentityTable(scope);
        _identity = identity;
        _policy = policy;
    }

    public async Task<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default)
    {
        var own = await _own.GetAsync(_identity, cancellationToken).ConfigureAwait(false)
            ?? throw new NoLocalIdentityException(_identity.ToString());
        return IdentityKeyPair.Deserialize(own.KeyPair);
    }

    public async Task<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default)
    {
        var own = await _own.GetAsync(_identity, cancellationToken).ConfigureAwait(false)
            ?? throw new NoLocalIdentityException(_identity.ToString());
        return own.RegistrationId;
    }

    /// <summary>Sets the account's own key pair and registration id (at registration or linking).</summary>
    public Task SetLocalIdentityAsync(IdentityKeyPair keyPair, uint registrationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        return _own.SetAsync(_identity, keyPair.Serialize(), registrationId, cancellationToken);
    }

    public async Task<IdentityChange> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        var (first, changed) = _policy switch
        {
            TrustNewIdentities.Always => (TrustLevel.TrustedUnverified, TrustLevel.TrustedUnverified),
            TrustNewIdentities.Never => (TrustLevel.Untrusted, TrustLevel.Untrusted),
            _ => (TrustLevel.TrustedUnverified, TrustLevel.Untrusted),
        };
        var replaced = await _identities.SaveAsync(address.Name, identityKey.Serialize(), first, changed, cancellationToken).ConfigureAwait(false);
        return replaced ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged;
    }

    public async Task<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, TrustDirection direction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        if (direction == TrustDirection.Receiving)
            return true;
        var stored = await _identities.GetAsync(address.Name, cancellationToken).ConfigureAwait(false);
        if (stored is null)
            return _policy != TrustNewIdentities.Never;
        return stored.IdentityKey.AsSpan().SequenceEqual(identityKey.Serialize()) && stored.Trust != TrustLevel.Untrusted;
    }

    public async Task<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        var stored = await _identities.GetAsync(address.Name, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : IdentityKey.Deserialize(stored.IdentityKey);
    }

    /// <summary>The stored identity of <paramref name="name"/> (a service id) with its trust level, or null.</summary>
    public Task<StoredIdentity?> GetStoredIdentityAsync(string name, CancellationToken cancellationToken = default)
        => _identities.GetAsync(name, cancellationToken);

    public Task<IReadOnlyList<StoredIdentity>> ListIdentitiesAsync(CancellationToken cancellationToken = default)
        => _identities.ListAsync(cancellationToken);

    /// <summary>Sets the trust of <paramref name="name"/>'s key, if the stored key is still
    /// <paramref name="identityKey"/>; returns false otherwise (the key changed since the user compared it).</summary>
    public Task<bool> SetTrustAsync(string name, IdentityKey identityKey, TrustLevel trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        return _identities.SetTrustAsync(name, identityKey.Serialize(), trust, cancellationToken);
    }
}
