using SignalSharp.Crypto;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Ratchet;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Protocol.Sessions;

/// <summary>
/// Starts sessions as the initiator: checks a fetched prekey bundle (identity trust, prekey signatures), runs PQXDH
/// and stores the new state as current, archiving the old one. Until the peer answers, every message sent on the
/// session is a PreKeySignalMessage. Responder-side setup happens in <see cref="SessionCipher"/> when a
/// PreKeySignalMessage arrives.
/// </summary>
public sealed class SessionBuilder(
    ISessionStore sessionStore,
    IIdentityKeyStore identityStore,
    ProtocolAddress localAddress,
    TimeProvider? timeProvider = null)
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <summary>Builds a session with <paramref name="remote"/> from its bundle.</summary>
    /// <exception cref="UntrustedIdentityException">The bundle's identity key is not trusted for sending (e.g. it changed).</exception>
    /// <exception cref="InvalidSignatureException">A prekey signature does not verify.</exception>
    public async Task ProcessPreKeyBundleAsync(ProtocolAddress remote, PreKeyBundle bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var theirIdentity = bundle.IdentityKey;
        if (!await identityStore.IsTrustedIdentityAsync(remote, theirIdentity, TrustDirection.Sending, cancellationToken).ConfigureAwait(false))
        {
            throw new UntrustedIdentityException(remote, theirIdentity);
        }

        bundle.VerifySignatures();

        var record = await sessionStore.LoadSessionAsync(remote, cancellationToken).ConfigureAwait(false) ?? new SessionRecord();
        var ourIdentity = await identityStore.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        var localRegistrationId = await identityStore.GetLocalRegistrationIdAsync(cancellationToken).ConfigureAwait(false);

        var baseKey = ECKeyPair.Generate();
        var (keys, kyberCiphertext) = Pqxdh.Initiate(
            ourIdentity, baseKey, theirIdentity, bundle.SignedPreKeyPublic, bundle.PreKeyPublic, bundle.KyberPreKeyPublic);
        var selfSession = IsSelfSession(ourIdentity.IdentityKey, theirIdentity, localAddress, remote);
        var state = RatchetInitializer.InitializeAlice(
            keys, ourIdentity.IdentityKey, theirIdentity, baseKey.PublicKey, bundle.SignedPreKeyPublic, selfSession);

        var preKeyId = bundle.PreKeyPublic is null ? null : bundle.PreKeyId;
        state.SetUnacknowledgedPreKeyMessage(preKeyId, bundle.SignedPreKeyId, baseKey.PublicKey, time.GetUtcNow());
        state.SetUnacknowledgedKyberPreKey(bundle.KyberPreKeyId, kyberCiphertext);
        state.LocalRegistrationId = localRegistrationId;
        state.RemoteRegistrationId = bundle.RegistrationId;

        await identityStore.SaveIdentityAsync(remote, theirIdentity, cancellationToken).ConfigureAwait(false);
        record.PromoteState(state);
        await sessionStore.StoreSessionAsync(remote, record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A session with oneself (same identity key, same ServiceId, another device): libsignal lifts the forward-jump
    /// limit for it because such a peer may legitimately be far ahead.
    /// </summary>
    internal static bool IsSelfSession(IdentityKey ours, IdentityKey theirs, ProtocolAddress local, ProtocolAddress remote) =>
        ours.Equals(theirs) && ServiceIdAddresses.SameServiceId(local.Name, remote.Name);
}
