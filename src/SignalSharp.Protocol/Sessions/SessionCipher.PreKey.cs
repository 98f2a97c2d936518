using SignalSharp.Crypto;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Ratchet;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Protocol.Sessions;

/// <summary>The responder side of PQXDH: a PreKeySignalMessage creates (or re-finds) the session it carries.</summary>
public sealed partial class SessionCipher
{
    /// <summary>
    /// Decrypts a <see cref="PreKeySignalMessage"/>. A new session is built from our prekeys unless a state with the
    /// same base key exists (a retransmission); the one-time prekey is removed and the Kyber prekey marked used only
    /// after the inner message decrypted.
    /// </summary>
    /// <exception cref="UntrustedIdentityException">The sender's identity key is not trusted for receiving.</exception>
    /// <exception cref="InvalidMessageException">Unsupported version, invalid base key, or the inner message failed.</exception>
    public async Task<byte[]> DecryptPreKeySignalMessageAsync(ProtocolAddress remote, PreKeySignalMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var record = await sessionStore.LoadSessionAsync(remote, cancellationToken).ConfigureAwait(false) ?? new SessionRecord();
        var theirIdentity = message.IdentityKey;
        if (!await identityStore.IsTrustedIdentityAsync(remote, theirIdentity, TrustDirection.Receiving, cancellationToken).ConfigureAwait(false))
        {
            throw new UntrustedIdentityException(remote, theirIdentity);
        }

        PreKeysUsed? used = null;
        if (!record.PromoteMatchingSession(message.MessageVersion, message.BaseKey.Serialize()))
        {
            used = await EstablishFromPreKeyMessageAsync(record, message, remote, cancellationToken).ConfigureAwait(false);
        }

        var plaintext = DecryptWithRecord(record, remote, message.Message, CiphertextMessageType.PreKey);

        await identityStore.SaveIdentityAsync(remote, theirIdentity, cancellationToken).ConfigureAwait(false);
        if (used is not null)
        {
            await kyberPreKeyStore.MarkKyberPreKeyUsedAsync(used.KyberPreKeyId, used.SignedPreKeyId, message.BaseKey, cancellationToken).ConfigureAwait(false);
            if (used.OneTimePreKeyId is { } oneTimeId)
            {
                await preKeyStore.RemovePreKeyAsync(oneTimeId, cancellationToken).ConfigureAwait(false);
            }
        }

        await sessionStore.StoreSessionAsync(remote, record, cancellationToken).ConfigureAwait(false);
        return plaintext;
    }

    private async Task<PreKeysUsed> EstablishFromPreKeyMessageAsync(
        SessionRecord record, PreKeySignalMessage message, ProtocolAddress remote, CancellationToken cancellationToken)
    {
        if (message.MessageVersion != RatchetInitializer.SessionVersion)
        {
            throw CiphertextMessageType.PreKey.Invalid("X3DH no longer supported");
        }

        if (message.KyberPreKeyId is not { } kyberId || message.KyberCiphertext is not { } kyberCiphertext)
        {
            throw CiphertextMessageType.PreKey.Invalid("missing kyber pre key");
        }

        if (!message.BaseKey.IsCanonical())
        {
            throw CiphertextMessageType.PreKey.Invalid("incoming base key is invalid");
        }

        var signedPreKey = await signedPreKeyStore.LoadSignedPreKeyAsync(message.SignedPreKeyId, cancellationToken).ConfigureAwait(false);
        var kyberPreKey = await kyberPreKeyStore.LoadKyberPreKeyAsync(kyberId, cancellationToken).ConfigureAwait(false);
        var oneTimePreKey = message.PreKeyId is { } oneTimeId
            ? await preKeyStore.LoadPreKeyAsync(oneTimeId, cancellationToken).ConfigureAwait(false)
            : null;
        var ourIdentity = await identityStore.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        var localRegistrationId = await identityStore.GetLocalRegistrationIdAsync(cancellationToken).ConfigureAwait(false);

        PqxdhKeys keys;
        try
        {
            keys = Pqxdh.Accept(
                ourIdentity, signedPreKey.KeyPair, oneTimePreKey?.KeyPair, kyberPreKey.KeyPair.SecretKey, message.IdentityKey, message.BaseKey, kyberCiphertext);
        }
        catch (CryptoException e)
        {
            // A malformed Kyber ciphertext or a degenerate DH input: the message is invalid, not our keys.
            throw new InvalidMessageException($"invalid PreKey message: {e.Message}", e);
        }

        var selfSession = SessionBuilder.IsSelfSession(ourIdentity.IdentityKey, message.IdentityKey, localAddress, remote);
        var state = RatchetInitializer.InitializeBob(
            keys, ourIdentity.IdentityKey, message.IdentityKey, signedPreKey.KeyPair, message.BaseKey, selfSession);
        state.LocalRegistrationId = localRegistrationId;
        state.RemoteRegistrationId = message.RegistrationId;
        record.PromoteState(state);
        return new PreKeysUsed(message.PreKeyId, message.SignedPreKeyId, kyberId);
    }

    private sealed record PreKeysUsed(uint? OneTimePreKeyId, uint SignedPreKeyId, uint KyberPreKeyId);
}
