using SignalSharp.Account.Linking;
using SignalSharp.Protocol;
using SignalSharp.Service.Api;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.PreKeys;

/// <summary>
/// Replaces an identity's signed pre-key and last-resort Kyber pre-key when they grow old, and drops replaced ones
/// once nobody can still be using them.
/// </summary>
/// <remarks>
/// The timings are Signal-Android's (PreKeysSyncJob and PreKeyUtil): both keys are rotated every 2 days, so that a
/// stolen key opens few sessions; a replaced key is kept until it is 30 days old, because a contact may have fetched
/// our bundle before the rotation and send its first (PreKey) message days later, and the youngest of the expired
/// ones is kept beyond that, so that one always remains for a message that was very long under way.
/// </remarks>
internal sealed class PreKeyRotation(TimeProvider time)
{
    internal static readonly TimeSpan RotationInterval = TimeSpan.FromDays(2);

    internal static readonly TimeSpan GracePeriod = TimeSpan.FromDays(30);

    /// <summary>
    /// The keys due for rotation, generated and stored (the upload names only those; null when none is due).
    /// Stored before the upload, so a message built on a key the server already handed out always finds it.
    /// </summary>
    public async Task<PreKeyUpload?> RotateIfDueAsync(ProtocolStores stores, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var signed = await SignedTimestampsAsync(stores, cancellationToken).ConfigureAwait(false);
        var lastResort = await LastResortTimestampsAsync(stores, cancellationToken).ConfigureAwait(false);
        var signedDue = IsDue(signed, now);
        var lastResortDue = IsDue(lastResort, now);
        if (!signedDue && !lastResortDue)
        {
            return null;
        }

        var identity = await stores.IdentityKeys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        var stamp = (ulong)now.ToUnixTimeMilliseconds();
        return new PreKeyUpload
        {
            SignedPreKey = signedDue ? await PreKeyGenerator.GenerateSignedAsync(stores, identity, stamp, cancellationToken).ConfigureAwait(false) : null,
            PqLastResortPreKey = lastResortDue ? await PreKeyGenerator.GenerateLastResortAsync(stores, identity, stamp, cancellationToken).ConfigureAwait(false) : null,
        };
    }

    /// <summary>Removes replaced signed and last-resort keys whose grace period is over; returns how many.</summary>
    public async Task<int> RemoveExpiredAsync(ProtocolStores stores, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var removed = 0;
        foreach (var id in Expired(await SignedTimestampsAsync(stores, cancellationToken).ConfigureAwait(false), now))
        {
            await stores.SignedPreKeys.RemoveSignedPreKeyAsync(id, cancellationToken).ConfigureAwait(false);
            removed++;
        }

        foreach (var id in Expired(await LastResortTimestampsAsync(stores, cancellationToken).ConfigureAwait(false), now))
        {
            await stores.KyberPreKeys.RemoveKyberPreKeyAsync(id, cancellationToken).ConfigureAwait(false);
            removed++;
        }

        return removed;
    }

    // The newest key is the current one (rotation only ever adds a newer key); none at all counts as due.
    private static bool IsDue(IReadOnlyList<(uint Id, DateTimeOffset Created)> keys, DateTimeOffset now) =>
        keys.Count == 0 || now - keys.Max(k => k.Created) >= RotationInterval;

    private static IEnumerable<uint> Expired(IReadOnlyList<(uint Id, DateTimeOffset Created)> keys, DateTimeOffset now) =>
        keys.OrderByDescending(k => k.Created)
            .Skip(1)
            .Where(k => now - k.Created > GracePeriod)
            .Skip(1)
            .Select(k => k.Id)
            .ToList();

    private static async Task<IReadOnlyList<(uint, DateTimeOffset)>> SignedTimestampsAsync(ProtocolStores stores, CancellationToken cancellationToken)
    {
        var keys = new List<(uint, DateTimeOffset)>();
        foreach (var id in await stores.SignedPreKeys.ListIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = await stores.SignedPreKeys.LoadSignedPreKeyAsync(id, cancellationToken).ConfigureAwait(false);
            keys.Add((id, DateTimeOffset.FromUnixTimeMilliseconds((long)record.Timestamp)));
        }

        return keys;
    }

    private static async Task<IReadOnlyList<(uint, DateTimeOffset)>> LastResortTimestampsAsync(ProtocolStores stores, CancellationToken cancellationToken)
    {
        var keys = new List<(uint, DateTimeOffset)>();
        foreach (var id in await stores.KyberPreKeys.ListLastResortIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            KyberPreKeyRecord record = await stores.KyberPreKeys.LoadKyberPreKeyAsync(id, cancellationToken).ConfigureAwait(false);
            keys.Add((id, DateTimeOffset.FromUnixTimeMilliseconds((long)record.Timestamp)));
        }

        return keys;
    }
}
