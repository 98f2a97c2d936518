using SignalSharp.Crypto;

namespace SignalSharp.Protocol.SealedSender;

/// <summary>
/// Sender certificates already validated against one set of trust roots, so that a burst of sealed messages from
/// one contact (one certificate) costs its two signature checks once. A known certificate (the very same bytes) is
/// still checked for expiry every time. Use one cache per set of trust roots, for a bounded run such as a batch.
/// </summary>
public sealed class SenderCertificateCache
{
    private readonly HashSet<string> valid = [];

    internal bool Validate(SenderCertificate certificate, IReadOnlyCollection<ECPublicKey> trustRoots, ulong nowMillis)
    {
        var key = Convert.ToBase64String(certificate.Serialize());
        if (valid.Contains(key))
        {
            return nowMillis <= certificate.Expiration;
        }

        if (!certificate.Validate(trustRoots, nowMillis))
        {
            return false;
        }

        valid.Add(key);
        return true;
    }
}
