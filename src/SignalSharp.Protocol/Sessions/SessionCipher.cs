using SignalSharp.Crypto;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Ratchet;
using SignalSharp.Protocol.Storage;
using SignalSharp.Spqr;

namespace SignalSharp.Protocol.Sessions;

/// <summary>
/// Encrypts to and decrypts from one remote address with the stored session record: picks the state (current,
/// then archived), applies identity trust, and writes the record back only when the whole operation succeeded.
/// The cryptography of one message is in <see cref="TripleRatchet"/>; PreKey processing is in the PreKey part.
/// Each operation loads, changes and stores the record, so callers run operations for one address one at a time.
/// </summary>
public sealed partial class SessionCipher(
    ISessionStore sessionStore,
    IIdentityKeyStore identityStore,
    IPreKeyStore preKeyStore,
    ISignedPreKeyStore signedPreKeyStore,
    IKyberPreKeyStore kyberPreKeyStore,
    ProtocolAddress localAddress,
    TimeProvider? timeProvider = null)
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Encrypts for <paramref name="remote"/>: a <see cref="PreKeySignalMessage"/> while the session is unacknowledged,
    /// a <see cref="SignalMessage"/> afterwards.
    /// </summary>
    /// <exception cref="NoSessionException">No session, or an unacknowledged one older than 30 days.</exception>
    /// <exception cref="UntrustedIdentityException">The session's identity key is no longer trusted for sending.</exception>
    public async Task<CiphertextMessage> EncryptAsync(ProtocolAddress remote, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        var record = await sessionStore.LoadSessionAsync(remote, cancellationToken).ConfigureAwait(false)
            ?? throw new NoSessionException(remote, "no session record");
        var state = record.CurrentState?.Clone() ?? throw new NoSessionException(remote, "no current session state");
        if (!state.HasSenderChain || state.PqRatchetState.IsEmpty)
        {
            throw new NoSessionException(remote, "current session state cannot send");
        }

        var theirIdentity = state.RemoteIdentityKey ?? throw new NoSessionException(remote, "current session state has no remote identity");
        CiphertextMessage result;
        if (state.UnacknowledgedPreKey is { } pending)
        {
            if (pending.Created + SessionLimits.MaxUnacknowledgedSessionAge < time.GetUtcNow())
            {
                throw new NoSessionException(remote, "unacknowledged session is stale");
            }

            var message = EncryptWithState(state, plaintext.Span, ServiceIdAddresses.Encode(localAddress, remote));
            result = PreKeySignalMessage.Create(
                (byte)state.SessionVersion,
                state.LocalRegistrationId,
                pending.PreKeyId,
                pending.SignedPreKeyId,
                pending.KyberPreKeyId,
                pending.KyberCiphertext,
                pending.BaseKey,
                state.LocalIdentityKey,
                message);
        }
        else
        {
            result = EncryptWithState(state, plaintext.Span, null);
        }

        if (!await identityStore.IsTrustedIdentityAsync(remote, theirIdentity, TrustDirection.Sending, cancellationToken).ConfigureAwait(false))
        {
            throw new UntrustedIdentityException(remote, theirIdentity);
        }

        await identityStore.SaveIdentityAsync(remote, theirIdentity, cancellationToken).ConfigureAwait(false);
        record.SetCurrentState(state);
        await sessionStore.StoreSessionAsync(remote, record, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Decrypts a message of either kind.</summary>
    public Task<byte[]> DecryptAsync(ProtocolAddress remote, CiphertextMessage message, CancellationToken cancellationToken = default) =>
        message switch
        {
            SignalMessage signal => DecryptSignalMessageAsync(remote, signal, cancellationToken),
            PreKeySignalMessage preKey => DecryptPreKeySignalMessageAsync(remote, preKey, cancellationToken),
            _ => throw new ArgumentException($"cannot decrypt {message.Type} messages here", nameof(message)),
        };

    /// <summary>
    /// Decrypts a <see cref="SignalMessage"/>, trying the current state and then each archived state (a success
    /// there makes that state current again).
    /// </summary>
    /// <exception cref="NoSessionException">No session record for the address.</exception>
    /// <exception cref="DuplicateMessageException">The counter was already used.</exception>
    /// <exception cref="InvalidMessageException">No state could decrypt it.</exception>
    /// <exception cref="UntrustedIdentityException">The session's identity key is no longer trusted for receiving.</exception>
    public async Task<byte[]> DecryptSignalMessageAsync(ProtocolAddress remote, SignalMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var record = await sessionStore.LoadSessionAsync(remote, cancellationToken).ConfigureAwait(false)
            ?? throw new NoSessionException(remote, "no session record");
        var plaintext = DecryptWithRecord(record, remote, message, CiphertextMessageType.Whisper);

        var theirIdentity = record.CurrentState!.RemoteIdentityKey!;
        if (!await identityStore.IsTrustedIdentityAsync(remote, theirIdentity, TrustDirection.Receiving, cancellationToken).ConfigureAwait(false))
        {
            throw new UntrustedIdentityException(remote, theirIdentity);
        }

        await identityStore.SaveIdentityAsync(remote, theirIdentity, cancellationToken).ConfigureAwait(false);
        await sessionStore.StoreSessionAsync(remote, record, cancellationToken).ConfigureAwait(false);
        return plaintext;
    }

    private static SignalMessage EncryptWithState(SessionState state, ReadOnlySpan<byte> plaintext, byte[]? addresses)
    {
        try
        {
            return TripleRatchet.Encrypt(state, plaintext, addresses);
        }
        catch (SpqrException e)
        {
            throw new InvalidMessageException($"post-quantum ratchet error: {e.Message}", e);
        }
    }

    /// <summary>
    /// Tries the record's states in libsignal's order and commits the winner into <paramref name="record"/>.
    /// For the inner message of a PreKeySignalMessage only the current (just established or matched) state counts.
    /// </summary>
    private byte[] DecryptWithRecord(SessionRecord record, ProtocolAddress remote, SignalMessage message, CiphertextMessageType originalType)
    {
        if (record.CurrentState is null && record.PreviousStates.Count == 0)
        {
            throw new NoSessionException(remote, "session record is empty");
        }

        var errors = new List<Exception>();
        if (record.CurrentState is { } current)
        {
            var candidate = current.Clone();
            if (TryDecryptWithState(candidate, remote, message, originalType, errors) is { } plaintext)
            {
                record.SetCurrentState(candidate);
                return plaintext;
            }

            if (originalType == CiphertextMessageType.PreKey)
            {
                throw originalType.Invalid("decryption failed", errors);
            }
        }

        for (var i = 0; i < record.PreviousStates.Count; i++)
        {
            var candidate = record.PreviousStates[i].Clone();
            if (TryDecryptWithState(candidate, remote, message, originalType, errors) is { } plaintext)
            {
                record.PromoteOldSession(i, candidate);
                return plaintext;
            }
        }

        throw originalType.Invalid("decryption failed", errors);
    }

    private byte[]? TryDecryptWithState(
        SessionState candidate, ProtocolAddress remote, SignalMessage message, CiphertextMessageType originalType, List<Exception> errors)
    {
        if (candidate.SessionVersion != message.MessageVersion)
        {
            errors.Add(new InvalidMessageVersionException(message.MessageVersion));
            return null;
        }

        try
        {
            return TripleRatchet.Decrypt(candidate, message, remote, localAddress, originalType);
        }
        catch (DuplicateMessageException)
        {
            // A replay stays a replay even if another state might take it: stop searching, as libsignal does.
            throw;
        }
        catch (Exception e) when (e is ProtocolException or CryptoException)
        {
            errors.Add(e);
            return null;
        }
    }
}
