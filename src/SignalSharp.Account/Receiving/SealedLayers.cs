using SignalSharp.Protocol;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Service.Transport;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// The sealed-sender layer of a batch's envelopes, opened ahead on every core. Opening needs only our identity key
/// pair (two X25519 agreements, AES and HMAC per envelope: the largest single cost of a sealed envelope), not the
/// sessions, which the batch then decrypts one envelope after another as before. An envelope that does not open is
/// left out: its decryption in order opens it again and meets the same failure where the one rule
/// (<see cref="EnvelopeDecryptor.IsUndecryptable"/>) judges it, so nothing about failures changes.
/// </summary>
internal static class SealedLayers
{
    /// <summary>Below this many sealed envelopes the threads cost more than they save.</summary>
    private const int ParallelFrom = 4;

    /// <summary>The opened content per envelope index; null where the envelope is not sealed or did not open.</summary>
    public static async Task<UnidentifiedSenderMessageContent?[]> OpenAsync(IReadOnlyList<ReceivedEnvelope> envelopes, BatchStoresByIdentity stores,
        CancellationToken cancellationToken)
    {
        var opened = new UnidentifiedSenderMessageContent?[envelopes.Count];
        var sealedOnes = new List<(int Index, IdentityKeyPair Keys)>();
        var keys = new Dictionary<AccountIdentity, IdentityKeyPair>();
        for (var i = 0; i < envelopes.Count; i++)
        {
            if (envelopes[i].Type != EnvelopeType.UnidentifiedSender || envelopes[i].Content.Length == 0)
            {
                continue;
            }

            var identity = EnvelopeDecryptor.IdentityOf(envelopes[i]);
            if (!keys.TryGetValue(identity, out var pair))
            {
                pair = await stores.For(identity).Stores.IdentityKeys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
                keys[identity] = pair;
            }

            sealedOnes.Add((i, pair));
        }

        if (sealedOnes.Count < ParallelFrom)
        {
            return opened;
        }

        Parallel.For(0, sealedOnes.Count, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            var (index, pair) = sealedOnes[k];
            try
            {
                opened[index] = SealedSenderCipher.Open(envelopes[index].Content, pair);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Left null on purpose: opened again in order, where the failure is judged (see the class summary).
            }
        });
        return opened;
    }
}
