using SignalSharp.Crypto;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Protocol.SealedSender;

/// <summary>
/// Sealed sender on top of 1:1 sessions and sender keys: encrypt a plaintext over the session and seal it (v1),
/// seal one content for many recipients using their sessions' registration ids (v2), and open, validate and
/// decrypt incoming sealed messages of every inner type. Failures after the sender became known are raised as
/// <see cref="SealedSenderDecryptionException"/>, carrying the sender, content hint and group id.
/// </summary>
public sealed class SealedSessionCipher
{
    private readonly ISessionStore sessionStore;
    private readonly IIdentityKeyStore identityStore;
    private readonly ProtocolAddress localAddress;
    private readonly string? localE164;
    private readonly SessionCipher sessionCipher;
    private readonly GroupCipher groupCipher;
    private readonly SealedSenderCipher sealedCipher;

    public SealedSessionCipher(
        ISessionStore sessionStore,
        IIdentityKeyStore identityStore,
        IPreKeyStore preKeyStore,
        ISignedPreKeyStore signedPreKeyStore,
        IKyberPreKeyStore kyberPreKeyStore,
        ISenderKeyStore senderKeyStore,
        ProtocolAddress localAddress,
        string? localE164 = null,
        TimeProvider? timeProvider = null)
    {
        this.sessionStore = sessionStore;
        this.identityStore = identityStore;
        this.localAddress = localAddress;
        this.localE164 = localE164;
        sessionCipher = new SessionCipher(sessionStore, identityStore, preKeyStore, signedPreKeyStore, kyberPreKeyStore, localAddress, timeProvider);
        groupCipher = new GroupCipher(senderKeyStore);
        sealedCipher = new SealedSenderCipher(identityStore);
    }

    /// <summary>Certificates this cipher's callers already validated (against the same trust roots); null checks each.</summary>
    public SenderCertificateCache? CertificateCache { get; init; }

    /// <summary>Encrypts <paramref name="plaintext"/> over the session with <paramref name="destination"/> and seals it (v1).</summary>
    public async Task<byte[]> EncryptAsync(ProtocolAddress destination, ReadOnlyMemory<byte> plaintext, SenderCertificate senderCertificate,
        ContentHint contentHint = ContentHint.Default, byte[]? groupId = null, CancellationToken cancellationToken = default)
    {
        var message = await sessionCipher.EncryptAsync(destination, plaintext, cancellationToken).ConfigureAwait(false);
        var content = new UnidentifiedSenderMessageContent(message.Type, senderCertificate, message.Serialize(), contentHint, groupId);
        return await sealedCipher.EncryptAsync(destination, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Seals <paramref name="content"/> (typically a sender-key message) for every device in
    /// <paramref name="recipients"/> (v2). Devices of one service id must be adjacent; each needs a session, whose
    /// remote registration id is put in the message so the server can detect stale device lists.
    /// </summary>
    public async Task<byte[]> MultiRecipientEncryptAsync(IReadOnlyList<ProtocolAddress> recipients, UnidentifiedSenderMessageContent content,
        IReadOnlyList<string>? excludedServiceIds = null, CancellationToken cancellationToken = default)
    {
        var grouped = new List<SealedSenderV2Recipient>();
        for (var i = 0; i < recipients.Count;)
        {
            var name = recipients[i].Name;
            var identity = await identityStore.GetIdentityAsync(recipients[i], cancellationToken).ConfigureAwait(false)
                ?? throw new NoSessionException(recipients[i], "no identity key known (no session was ever built)");
            var devices = new List<(uint, uint)>();
            for (; i < recipients.Count && recipients[i].Name == name; i++)
            {
                var record = await sessionStore.LoadSessionAsync(recipients[i], cancellationToken).ConfigureAwait(false);
                var registrationId = record?.RemoteRegistrationId ?? throw new NoSessionException(recipients[i], "no session to take the registration id from");
                devices.Add((recipients[i].DeviceId, registrationId));
            }

            grouped.Add(new SealedSenderV2Recipient(name, identity.PublicKey, devices));
        }

        return await sealedCipher.MultiRecipientEncryptAsync(grouped, content, excludedServiceIds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a sealed message (v1 or v2), validates the sender certificate against <paramref name="trustRoots"/> at
    /// <paramref name="nowMillis"/>, and decrypts the content with the matching session or sender key.
    /// </summary>
    /// <exception cref="InvalidSealedSenderMessageException">The envelope did not open; the sender is unknown.</exception>
    /// <exception cref="SealedSenderSelfSendException">The certificate names this very device.</exception>
    /// <exception cref="SealedSenderDecryptionException">The sender is known, but its certificate or content failed.</exception>
    public async Task<SealedSenderDecryptionResult> DecryptAsync(ReadOnlyMemory<byte> message, IReadOnlyCollection<ECPublicKey> trustRoots, ulong nowMillis,
        CancellationToken cancellationToken = default)
    {
        var content = await sealedCipher.DecryptToUsmcAsync(message, cancellationToken).ConfigureAwait(false);
        var certificate = content.SenderCertificate;
        try
        {
            if (!(CertificateCache?.Validate(certificate, trustRoots, nowMillis) ?? certificate.Validate(trustRoots, nowMillis)))
            {
                throw new InvalidCertificateException("sender certificate did not validate (trust root, signature or expiry)");
            }

            var sameAccount = certificate.SenderUuid == localAddress.Name || (localE164 is not null && certificate.SenderE164 == localE164);
            if (sameAccount && certificate.SenderDeviceId == localAddress.DeviceId)
            {
                throw new SealedSenderSelfSendException();
            }

            var sender = new ProtocolAddress(certificate.SenderUuid, certificate.SenderDeviceId);
            var plaintext = content.MessageType switch
            {
                CiphertextMessageType.PreKey => await sessionCipher.DecryptPreKeySignalMessageAsync(
                    sender, PreKeySignalMessage.Deserialize(content.Content), cancellationToken).ConfigureAwait(false),
                CiphertextMessageType.Whisper => await sessionCipher.DecryptSignalMessageAsync(
                    sender, SignalMessage.Deserialize(content.Content), cancellationToken).ConfigureAwait(false),
                CiphertextMessageType.SenderKey => await groupCipher.DecryptAsync(sender, content.Content, cancellationToken).ConfigureAwait(false),
                CiphertextMessageType.Plaintext => PlaintextContent.Deserialize(content.Content).Body.ToArray(),
                _ => throw new InvalidSealedSenderMessageException($"unknown content type {content.MessageType}"),
            };
            return new SealedSenderDecryptionResult(certificate.SenderUuid, certificate.SenderE164, certificate.SenderDeviceId, plaintext,
                content.MessageType, content.ContentHint, content.GroupId);
        }
        catch (Exception e) when (e is (ProtocolException or CryptoException) and not SealedSenderSelfSendException)
        {
            throw new SealedSenderDecryptionException(content, e);
        }
    }
}
