using Microsoft.Extensions.Logging;
using SignalSharp.Account.Linking;
using SignalSharp.Service.Api;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.PreKeys;

/// <summary>
/// Keeps both identities' pre-keys healthy (only the ACI's for an account without a PNI): rotates the signed and
/// last-resort keys when they grow old (<see cref="PreKeyRotation"/>), tops the server's one-time keys up when contacts
/// have used them (without them new sessions fall back to the last-resort Kyber key and no EC key), and deletes keys
/// nobody can use any more (used ones; one-time keys the server stopped handing out 90 days ago). Runs at start, after
/// every few pre-key messages received, and on a timer.
/// </summary>
internal sealed class PreKeyMaintenance(ChatApi api, AccountDatabase db, bool hasPni, TimeProvider time, ILogger logger) : IDisposable
{
    /// <summary>Below this many one-time keys (EC or Kyber) on the server, a fresh batch is uploaded (Signal-Android's minimum).</summary>
    internal const int RefillThreshold = 10;

    internal const int RefillBatch = 100;

    /// <summary>How often the timer looks whether a rotation is due (a local check; the server is asked only then).</summary>
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a one-time key is kept after the server stopped holding it, and how many such keys are kept anyway:
    /// Signal-Android's numbers (PreKeyUtil.cleanOneTimePreKeys), long after the replacement because a contact may
    /// start a session from a bundle it fetched weeks before.
    /// </summary>
    internal static readonly TimeSpan StaleOneTimeKeyLifetime = TimeSpan.FromDays(90);

    internal const int StaleOneTimeKeysKept = 200;

    private const int PreKeyMessagesPerCheck = 5;

    private readonly PreKeyRotation rotation = new(time);
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private int preKeyMessagesSinceCheck;

    public Task<PreKeyCounts> GetCountsAsync(bool pni, CancellationToken cancellationToken) => api.GetPreKeyCountsAsync(pni, cancellationToken);

    /// <summary>
    /// One pass over both identities: rotation when due, a refill when <paramref name="checkCounts"/> (or a rotation
    /// happened: a server may drop one-time keys with it) and the server runs low, then the clean-up.
    /// </summary>
    public async Task MaintainAsync(bool checkCounts, CancellationToken cancellationToken)
    {
        await oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (identity, pni) in new[] { (AccountIdentity.Aci, false), (AccountIdentity.Pni, true) })
            {
                if (pni && !hasPni)
                {
                    // An account without a phone number has no PNI, and the server takes no keys for one.
                    continue;
                }

                var stores = db.ProtocolStores(identity);
                var rotated = await RotateAsync(stores, pni, cancellationToken).ConfigureAwait(false);
                if (checkCounts || rotated)
                {
                    await RefillIfLowAsync(stores, pni, cancellationToken).ConfigureAwait(false);
                }

                var staleBefore = time.GetUtcNow() - StaleOneTimeKeyLifetime;
                var removed = await rotation.RemoveExpiredAsync(stores, cancellationToken).ConfigureAwait(false)
                    + await stores.KyberPreKeys.RemoveUsedAsync(cancellationToken).ConfigureAwait(false)
                    + await stores.PreKeys.RemoveStaleAsync(staleBefore, StaleOneTimeKeysKept, cancellationToken).ConfigureAwait(false)
                    + await stores.KyberPreKeys.RemoveStaleOneTimeAsync(staleBefore, StaleOneTimeKeysKept, cancellationToken).ConfigureAwait(false);
                if (removed > 0)
                {
                    AccountLog.PreKeysRemoved(logger, removed, identity);
                }
            }
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    /// <summary>A full pass whose failure is only logged (the next one tries again).</summary>
    public async Task MaintainInBackgroundAsync(bool checkCounts, CancellationToken cancellationToken)
    {
        try
        {
            await MaintainAsync(checkCounts, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AccountLog.PreKeyRefillFailed(logger, e.GetType().Name);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Looks every <see cref="CheckInterval"/> whether a rotation is due, until <paramref name="stopping"/>.</summary>
    public async Task RunTimerAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                await MaintainInBackgroundAsync(checkCounts: false, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Counts received pre-key messages (each used up one of our keys) and checks the server every few.</summary>
    public void OnEnvelopeHandled(ReceivedEnvelope envelope, CancellationToken stopping)
    {
        if (envelope.Type == EnvelopeType.PreKeyMessage && ++preKeyMessagesSinceCheck >= PreKeyMessagesPerCheck)
        {
            preKeyMessagesSinceCheck = 0;
            _ = MaintainInBackgroundAsync(checkCounts: true, stopping);
        }
    }

    private async Task<bool> RotateAsync(ProtocolStores stores, bool pni, CancellationToken cancellationToken)
    {
        var upload = await rotation.RotateIfDueAsync(stores, cancellationToken).ConfigureAwait(false);
        if (upload is null)
        {
            return false;
        }

        try
        {
            await api.SetPreKeysAsync(upload, pni, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Never published: the older keys stay current, and the next pass tries again.
            await ForgetAsync(stores, upload).ConfigureAwait(false);
            throw;
        }

        AccountLog.PreKeysRotated(logger, stores.Identity, upload.SignedPreKey is not null, upload.PqLastResortPreKey is not null);
        return true;
    }

    private static async Task ForgetAsync(ProtocolStores stores, PreKeyUpload upload)
    {
        if (upload.SignedPreKey is { } signed)
        {
            await stores.SignedPreKeys.RemoveSignedPreKeyAsync(signed.KeyId, CancellationToken.None).ConfigureAwait(false);
        }

        if (upload.PqLastResortPreKey is { } lastResort)
        {
            await stores.KyberPreKeys.RemoveKyberPreKeyAsync(lastResort.KeyId, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task RefillIfLowAsync(ProtocolStores stores, bool pni, CancellationToken cancellationToken)
    {
        var counts = await api.GetPreKeyCountsAsync(pni, cancellationToken).ConfigureAwait(false);
        if (counts.Count >= RefillThreshold && counts.PqCount >= RefillThreshold)
        {
            return;
        }

        // The batch replaces the server's list: the keys stored so far are no longer handed out from now on.
        var now = time.GetUtcNow();
        await stores.PreKeys.MarkAllStaleAsync(now, cancellationToken).ConfigureAwait(false);
        await stores.KyberPreKeys.MarkAllOneTimeStaleAsync(now, cancellationToken).ConfigureAwait(false);
        var identityKeys = await stores.IdentityKeys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        var upload = await PreKeyGenerator.GenerateOneTimeAsync(stores, identityKeys, RefillBatch, cancellationToken).ConfigureAwait(false);
        await api.SetPreKeysAsync(upload, pni, cancellationToken).ConfigureAwait(false);
        AccountLog.PreKeysUploaded(logger, RefillBatch, stores.Identity);
    }

    public void Dispose() => oneAtATime.Dispose();
}
