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
    private readonly OwnIdentityTable own;
    private readonly IdentityTable identities;
    private readonly AccountIdentity identity;
    private readonly TrustNewIdentities policy;

    internal SqliteIdentityKeyStore(StoreScope scope, AccountIdentity identity, TrustNewIdentities policy)
    {
        this.own = new OwnIdentityTable(scope);
        this.identities = new IdentityTable(scope);
        this.identity = identity;
        this.policy = policy;
    }

    public async Task<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default)
    {
        var own = await this.own.GetAsync(this.identity, cancellationToken).ConfigureAwait(false)
            ?? throw new NoLocalIdentityException(this.identity.ToString());
        return IdentityKeyPair.Deserialize(own.KeyPair);
    }

    public async Task<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken = default)
    {
        var own = await this.own.GetAsync(this.identity, cancellationToken).ConfigureAwait(false)
            ?? throw new NoLocalIdentityException(this.identity.ToString());
        return own.RegistrationId;
    }

    /// <summary>Sets the account's own key pair and registration id (at registration or linking).</summary>
    public Task SetLocalIdentityAsync(IdentityKeyPair keyPair, uint registrationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        return this.own.SetAsync(this.identity, keyPair.Serialize(), registrationId, cancellationToken);
    }

    public async Task<IdentityChange> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        var (first, changed) = this.policy switch
        {
            TrustNewIdentities.Always => (TrustLevel.TrustedUnverified, TrustLevel.TrustedUnverified),
            TrustNewIdentities.Never => (TrustLevel.Untrusted, TrustLevel.Untrusted),
            _ => (TrustLevel.TrustedUnverified, TrustLevel.Untrusted),
        };
        var replaced = await this.identities.SaveAsync(address.Name, identityKey.Serialize(), first, changed, cancellationToken).ConfigureAwait(false);
        return replaced ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged;
    }

    public async Task<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, TrustDirection direction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        if (direction == TrustDirection.Receiving)
        {
            return true;
        }

        var stored = await this.identities.GetAsync(address.Name, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return this.policy != TrustNewIdentities.Never;
        }

        return stored.IdentityKey.AsSpan().SequenceEqual(identityKey.Serialize()) && stored.Trust != TrustLevel.Untrusted;
    }

    public async Task<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        var stored = await this.identities.GetAsync(address.Name, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : IdentityKey.Deserialize(stored.IdentityKey);
    }

    /// <summary>The stored identity of <paramref name="name"/> (a service id) with its trust level, or null.</summary>
    public Task<StoredIdentity?> GetStoredIdentityAsync(string name, CancellationToken cancellationToken = default)
        => this.identities.GetAsync(name, cancellationToken);

    public Task<IReadOnlyList<StoredIdentity>> ListIdentitiesAsync(CancellationToken cancellationToken = default)
        => this.identities.ListAsync(cancellationToken);

    /// <summary>Sets the trust of <paramref name="name"/>'s key, if the stored key is still
    /// <paramref name="identityKey"/>; returns false otherwise (the key changed since the user compared it).</summary>
    public Task<bool> SetTrustAsync(string name, IdentityKey identityKey, TrustLevel trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        return this.identities.SetTrustAsync(name, identityKey.Serialize(), trust, cancellationToken);
    }
}
