using SignalSharp.Protocol.Storage;

namespace SignalSharp.Protocol.SealedSender;

/// <summary>
/// Seals and opens sealed-sender envelopes around an already-built <see cref="UnidentifiedSenderMessageContent"/>.
/// Needs only identities: encrypting or decrypting the inner message (sessions, sender keys) is done by
/// <see cref="SealedSessionCipher"/> or the caller.
/// </summary>
public sealed class SealedSenderCipher(IIdentityKeyStore identityStore)
{
    /// <summary>Seals <paramref name="content"/> for one device with sealed sender v1 (0x11).</summary>
    public async Task<byte[]> EncryptAsync(ProtocolAddress destination, UnidentifiedSenderMessageContent content, CancellationToken cancellationToken = default)
    {
        var recipient = await identityStore.GetIdentityAsync(destination, cancellationToken).ConfigureAwait(false)
            ?? throw new NoSessionException(destination, "no identity key known (no session was ever built)");
        var ours = await identityStore.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        return SealedSenderV1.Encrypt(content.Serialize(), recipient.PublicKey, ours.IdentityKey.PublicKey, ours.PrivateKey);
    }

    /// <summary>
    /// Seals <paramref name="content"/> once for many recipients (sealed sender v2): the 0x23 SentMessage the server
    /// splits. <paramref name="excludedServiceIds"/> are listed as deliberately left out.
    /// </summary>
    public async Task<byte[]> MultiRecipientEncryptAsync(IReadOnlyList<SealedSenderV2Recipient> recipients, UnidentifiedSenderMessageContent content,
        IReadOnlyList<string>? excludedServiceIds = null, CancellationToken cancellationToken = default)
    {
        var ours = await identityStore.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        return SealedSenderV2.Encrypt(content.Serialize(), recipients, excludedServiceIds ?? [], ours.IdentityKey.PublicKey, ours.PrivateKey);
    }

    /// <summary>
    /// Opens a v1 (0x11, or legacy 0x01) or v2 (0x22) envelope addressed to us and returns its content. The sender
    /// certificate inside is NOT validated here (see <see cref="SenderCertificate.Validate(IReadOnlyCollection{Crypto.ECPublicKey}, ulong)"/>).
    /// </summary>
    public async Task<UnidentifiedSenderMessageContent> DecryptToUsmcAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        if (message.IsEmpty)
        {
            throw new InvalidSealedSenderMessageException("empty sealed sender message");
        }

        var ours = await identityStore.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        var ourPublic = ours.IdentityKey.PublicKey;
        switch (message.Span[0] >> 4)
        {
            case 0 or SealedSenderV1.Version:
                var (usmc, senderIdentity) = SealedSenderV1.Decrypt(message.Span, ourPublic, ours.PrivateKey);
                var content = UnidentifiedSenderMessageContent.Deserialize(usmc);
                if (!Crypto.ConstantTime.Equals(content.SenderCertificate.Key.Serialize(), senderIdentity.Serialize()))
                {
                    throw new InvalidSealedSenderMessageException("sender certificate key does not match the sealed sender's identity");
                }

                return content;
            case 2:
                return UnidentifiedSenderMessageContent.Deserialize(SealedSenderV2.Decrypt(message.Span, ourPublic, ours.PrivateKey));
            default:
                throw new InvalidSealedSenderMessageException($"unknown sealed sender version {message.Span[0] >> 4}");
        }
    }
}
