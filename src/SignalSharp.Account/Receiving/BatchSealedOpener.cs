using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Sessions;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// Sealed sender inside a batch: the steps of <see cref="SealedSessionCipher.DecryptAsync"/> (open the envelope,
/// check the sender certificate, refuse our own device, decrypt the inner message), except that a certificate
/// already checked in this batch (the very same bytes) is not verified again; only its expiry is. A burst from one
/// contact carries one certificate, so this saves two signature verifications per message. Any failure throws and
/// the caller redoes the whole batch one envelope at a time through <see cref="SealedSessionCipher"/>, which turns
/// the failure into the right error item.
/// </summary>
internal sealed class BatchSealedOpener(ProtocolAddress localAddress, string? localE164, IReadOnlyCollection<ECPublicKey> trustRoots)
{
    private readonly HashSet<string> validCertificates = [];

    public async Task<DecryptedEnvelope> OpenAsync(ReadOnlyMemory<byte> sealedMessage, CipherStores stores, CancellationToken cancellationToken)
    {
        var content = await new SealedSenderCipher(stores.IdentityKeys).DecryptToUsmcAsync(sealedMessage, cancellationToken).ConfigureAwait(false);
        var certificate = content.SenderCertificate;
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var key = Convert.ToBase64String(certificate.Serialize());
        if (!(validCertificates.Contains(key) && now <= certificate.Expiration))
        {
            if (!certificate.Validate(trustRoots, now))
            {
                throw new InvalidCertificateException("sender certificate did not validate (trust root, signature or expiry)");
            }

            validCertificates.Add(key);
        }

        var sameAccount = certificate.SenderUuid == localAddress.Name || (localE164 is not null && certificate.SenderE164 == localE164);
        if (sameAccount && certificate.SenderDeviceId == localAddress.DeviceId)
        {
            throw new SealedSenderSelfSendException();
        }

        var senderAci = certificate.SenderAci ?? throw new InvalidSealedSenderMessageException("the sender certificate names no ACI");
        var sender = new ProtocolAddress(certificate.SenderUuid, certificate.SenderDeviceId);
        var cipher = new SessionCipher(stores.Sessions, stores.IdentityKeys, stores.PreKeys, stores.SignedPreKeys, stores.KyberPreKeys, localAddress);
        var plaintext = content.MessageType switch
        {
            CiphertextMessageType.PreKey => await cipher.DecryptPreKeySignalMessageAsync(
                sender, PreKeySignalMessage.Deserialize(content.Content), cancellationToken).ConfigureAwait(false),
            CiphertextMessageType.Whisper => await cipher.DecryptSignalMessageAsync(
                sender, SignalMessage.Deserialize(content.Content), cancellationToken).ConfigureAwait(false),
            CiphertextMessageType.SenderKey => await new GroupCipher(stores.SenderKeys).DecryptAsync(sender, content.Content, cancellationToken).ConfigureAwait(false),
            CiphertextMessageType.Plaintext => PlaintextContent.Deserialize(content.Content).Body.ToArray(),
            _ => throw new InvalidSealedSenderMessageException($"unknown content type {content.MessageType}"),
        };
        return new DecryptedEnvelope(senderAci, certificate.SenderE164, certificate.SenderDeviceId, plaintext, true);
    }
}
