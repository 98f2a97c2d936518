using SignalSharp.Account.Api;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Fingerprints;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Identities;

/// <summary>
/// The contacts' identity keys as the account stored them, with the safety number of each and its trust, and the
/// user's decision to trust one (signal-cli's <c>listIdentities</c> and <c>trust</c>). A trust applies only to the
/// key the user saw: if the key changed again in between, nothing is trusted.
/// </summary>
internal sealed class ContactIdentities(AccountDatabase db, Guid ownAci)
{
    /// <summary>Every known contact identity (the account's own excluded), or only <paramref name="only"/>'s.</summary>
    public async Task<IReadOnlyList<IdentityEntry>> ListAsync(Guid? only, CancellationToken cancellationToken)
    {
        var keys = db.ProtocolStores(AccountIdentity.Aci).IdentityKeys;
        var own = (await keys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false)).IdentityKey;
        var entries = new List<IdentityEntry>();
        foreach (var stored in await keys.ListIdentitiesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!Aci.TryParse(stored.Address, out var storedAci) || storedAci.Uuid == ownAci || (only is { } wanted && wanted != storedAci.Uuid))
            {
                continue;
            }

            var aci = storedAci.Uuid;

            var recipient = await db.Recipients.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false);
            var fingerprint = Fingerprint.ForAcis(ownAci, own, aci, IdentityKey.Deserialize(stored.IdentityKey));
            entries.Add(new IdentityEntry(recipient?.E164, new Aci(aci), fingerprint.Displayable.Value, ToTrust(stored.Trust), stored.AddedAt)
            {
                IdentityKey = stored.IdentityKey,
                ScannableSafetyNumber = fingerprint.Scannable.Serialize(),
            });
        }

        return entries;
    }

    /// <summary>Trusts <paramref name="aci"/>'s current key as <paramref name="request"/> allows; <paramref name="display"/> names them in errors.</summary>
    public async Task<IdentityEntry> TrustAsync(Guid aci, string display, TrustRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var keys = db.ProtocolStores(AccountIdentity.Aci).IdentityKeys;
        var stored = await keys.GetStoredIdentityAsync(aci.ToString(), cancellationToken).ConfigureAwait(false)
            ?? throw new NoKnownIdentityException(display);
        var key = IdentityKey.Deserialize(stored.IdentityKey);
        var own = (await keys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false)).IdentityKey;
        var safetyNumber = SafetyNumber(own, aci, key);
        var level = TrustLevel.TrustedUnverified;
        if (request is TrustVerifiedSafetyNumber verified)
        {
            var given = new string([.. verified.SafetyNumber.Where(c => !char.IsWhiteSpace(c))]);
            if (!string.Equals(given, safetyNumber, StringComparison.Ordinal))
            {
                throw new SafetyNumberMismatchException(display);
            }

            level = TrustLevel.TrustedVerified;
        }

        if (!await keys.SetTrustAsync(aci.ToString(), key, level, cancellationToken).ConfigureAwait(false))
        {
            // The key changed between reading and writing it: the user did not see the new one.
            throw new SafetyNumberMismatchException(display);
        }

        var recipient = await db.Recipients.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false);
        return new IdentityEntry(recipient?.E164, new Aci(aci), safetyNumber, ToTrust(level), stored.AddedAt);
    }

    /// <summary>Whether the stored key of <paramref name="aci"/> is one the user has not trusted (a changed safety number).</summary>
    public async Task<bool> IsUntrustedAsync(Guid aci, CancellationToken cancellationToken)
    {
        var stored = await db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.GetStoredIdentityAsync(aci.ToString(), cancellationToken).ConfigureAwait(false);
        return stored is { Trust: TrustLevel.Untrusted };
    }

    private string SafetyNumber(IdentityKey own, Guid aci, IdentityKey theirs) => Fingerprint.ForAcis(ownAci, own, aci, theirs).Displayable.Value;

    private static IdentityTrust ToTrust(TrustLevel level) => level switch
    {
        TrustLevel.TrustedVerified => IdentityTrust.TrustedVerified,
        TrustLevel.TrustedUnverified => IdentityTrust.TrustedUnverified,
        _ => IdentityTrust.Untrusted,
    };
}
