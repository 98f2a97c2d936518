using Google.Protobuf;
using SignalSharp.Account.Api;
using SignalSharp.Account.Messages;
using SignalSharp.Account.Proto;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Service.Transport;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// Opens one envelope with the protocol stores it is given (a transaction's, or a batch's) and parses its Content.
/// It decides nothing about storage: what a failure means for the envelope is <see cref="IsRedelivery"/> and
/// <see cref="IsUndecryptable"/>, the one rule both receive paths follow.
/// </summary>
internal sealed class EnvelopeDecryptor(Guid aci, uint deviceId, string? number, IReadOnlyCollection<ECPublicKey> trustRoots)
{
    private readonly ProtocolAddress localAddress = new(aci.ToString(), deviceId);

    /// <summary>A re-delivery of a message already stored (the process died before its ack), sealed or not.</summary>
    public static bool IsRedelivery(Exception e) =>
        e is DuplicateMessageException or SealedSenderDecryptionException { InnerException: DuplicateMessageException };

    /// <summary>
    /// The one rule, for single envelopes and batches alike, of what the envelope's own bytes make undecryptable:
    /// such an envelope becomes an error item (and is acked); any other exception leaves it with the server.
    /// </summary>
    public static bool IsUndecryptable(Exception e) =>
        e is ProtocolException or CryptoException or InvalidProtocolBufferException or FormatException or ArgumentException;

    /// <summary>Which of the account's identities the envelope was sent to.</summary>
    public static AccountIdentity IdentityOf(ReceivedEnvelope envelope) =>
        ServiceId.TryParse(envelope.DestinationServiceId, out var destination) && destination.IsPni
            ? AccountIdentity.Pni
            : AccountIdentity.Aci;

    /// <summary>The Content inside the padded plaintext, or null with the parser's complaint.</summary>
    public static Content? ParseContent(DecryptedEnvelope opened, out string? error)
    {
        error = null;
        try
        {
            return Content.Parser.ParseFrom(ContentPadding.Strip(opened.PaddedContent));
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException)
        {
            error = e.Message;
            return null;
        }
    }

    /// <param name="certificates">Within a batch, the sender certificates already validated; null outside one.</param>
    public async Task<DecryptedEnvelope> DecryptAsync(ReceivedEnvelope envelope, CipherStores stores, CancellationToken cancellationToken,
        SenderCertificateCache? certificates = null)
    {
        var cipher = new SessionCipher(stores.Sessions, stores.IdentityKeys, stores.PreKeys, stores.SignedPreKeys, stores.KyberPreKeys, localAddress);
        switch (envelope.Type)
        {
            case EnvelopeType.DoubleRatchet:
            {
                var (sender, from) = Source(envelope);
                var plaintext = await cipher.DecryptSignalMessageAsync(from, SignalMessage.Deserialize(envelope.Content), cancellationToken).ConfigureAwait(false);
                return new DecryptedEnvelope(sender, null, envelope.SourceDevice, plaintext, false);
            }

            case EnvelopeType.PreKeyMessage:
            {
                var (sender, from) = Source(envelope);
                var plaintext = await cipher.DecryptPreKeySignalMessageAsync(from, PreKeySignalMessage.Deserialize(envelope.Content), cancellationToken).ConfigureAwait(false);
                return new DecryptedEnvelope(sender, null, envelope.SourceDevice, plaintext, false);
            }

            case EnvelopeType.UnidentifiedSender:
            {
                var sealedCipher = new SealedSessionCipher(stores.Sessions, stores.IdentityKeys, stores.PreKeys, stores.SignedPreKeys, stores.KyberPreKeys,
                    stores.SenderKeys, localAddress, number) { CertificateCache = certificates };
                // The certificate must have been valid when the server took the message, not now: a message that
                // waited on the server while this device was off still opens.
                var acceptedAt = envelope.ServerTimestamp != 0 ? envelope.ServerTimestamp : (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var result = await sealedCipher.DecryptAsync(envelope.Content, trustRoots, acceptedAt, cancellationToken).ConfigureAwait(false);
                var sender = result.SenderAci ?? throw new InvalidSealedSenderMessageException("the sender certificate names no ACI");
                return new DecryptedEnvelope(sender, result.SenderE164, result.SenderDeviceId, result.Plaintext, true);
            }

            case EnvelopeType.PlaintextContent:
            {
                var (sender, _) = Source(envelope);
                return new DecryptedEnvelope(sender, null, envelope.SourceDevice, PlaintextContent.Deserialize(envelope.Content).Body.ToArray(), false, Authenticated: false);
            }

            default:
                throw new FormatException($"envelope type {(int)envelope.Type} is not one this device decrypts");
        }
    }

    private static (Guid Sender, ProtocolAddress Address) Source(ReceivedEnvelope envelope)
    {
        if (!Aci.TryParse(envelope.SourceServiceId, out var sender))
        {
            throw new FormatException("the envelope names no ACI sender");
        }

        return (sender.Uuid, new ProtocolAddress(sender.ToString(), envelope.SourceDevice));
    }
}
