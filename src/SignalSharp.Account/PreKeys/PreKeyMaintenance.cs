using Microsoft.Extensions.Logging;
using SignalSharp.Account.Linking;
using SignalSharp.Service.Api;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.PreKeys;

/// <summary>
/// Keeps the server's one-time pre-keys for both identities (only the ACI's for an account without a PNI) topped up: contacts starting sessions use them up, and
/// without them new sessions fall back to the last-resort Kyber key and no EC key. Checked at start and after every
/// few pre-key messages received.
/// </summary>
internal sealed class PreKeyMaintenance(ChatApi api, AccountDatabase db, bool hasPni, ILogger logger)
{
    /// <summary>Below this many one-time keys (EC or Kyber) on the server, a fresh batch is uploaded.</summary>
    internal const int RefillThreshold = 10;

    internal const int RefillBatch = 100;

    private const int PreKeyMessagesPerCheck = 5;

    private int preKeyMessagesSinceCheck;

    public Task<PreKeyCounts> GetCountsAsync(bool pni, CancellationToken cancellationToken) => api.GetPreKeyCountsAsync(pni, cancellationToken);

    /// <summary>Uploads a fresh batch for each identity whose EC or Kyber one-time keys run low.</summary>
    public async Task RefillAsync(CancellationToken cancellationToken)
    {
        foreach (var (identity, pni) in new[] { (AccountIdentity.Aci, false), (AccountIdentity.Pni, true) })
        {
            if (pni && !hasPni)
            {
                // An account without a phone number has no PNI, and the server takes no keys for one.
                continue;
            }

            var counts = await api.GetPreKeyCountsAsync(pni, cancellationToken).ConfigureAwait(false);
            if (counts.Count >= RefillThreshold && counts.PqCount >= RefillThreshold)
            {
                continue;
            }

            var stores = db.ProtocolStores(identity);
            var identityKeys = await stores.IdentityKeys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
            var upload = await PreKeyGenerator.GenerateOneTimeAsync(stores, identityKeys, RefillBatch, cancellationToken).ConfigureAwait(false);
            try
            {
                await api.SetPreKeysAsync(upload, pni, cancellationToken).ConfigureAwait(false);
            }
            catch (UnexpectedResponseException e)
            {
                // mock-server 27 keeps a stale provisioning entry under the ACI key and answers every later ACI
                // upload 400 "Duplicate service id kind ACI"; the other identity may still be refilled.
                AccountLog.PreKeyUploadRefused(logger, identity, e.GetType().Name);
            }
            AccountLog.PreKeysUploaded(logger, RefillBatch, identity);
        }
    }

    /// <summary>A refill whose failure is only logged (the next check tries again).</summary>
    public async Task RefillInBackgroundAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefillAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AccountLog.PreKeyRefillFailed(logger, e.GetType().Name);
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
            _ = RefillInBackgroundAsync(stopping);
        }
    }
}
