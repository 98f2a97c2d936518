using System.Security.Cryptography;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Spqr;

namespace SignalSharp.Protocol.Ratchet;

/// <summary>
/// Encrypts and decrypts one message against one session state: the Double Ratchet (DH steps, chains, skipped
/// keys) with the SPQR key as the salt of every message key. It mutates the state it is given, so callers pass a
/// clone and keep it only on success. It does not choose among states, check identity trust or touch stores.
/// </summary>
internal static class TripleRatchet
{
    /// <summary>Encrypts on the sending chain and advances it (and SPQR) in <paramref name="state"/>.</summary>
    public static SignalMessage Encrypt(SessionState state, ReadOnlySpan<byte> plaintext, byte[]? addresses)
    {
        var chainKey = state.SenderChainKey;
        var spqr = SpqrRatchet.Send(state.PqRatchetState);
        var keys = MessageKeys.Derive(chainKey.MessageKeySeed(), spqr.Key ?? [], chainKey.Index);
        var body = AesCbcEncrypt(keys, plaintext);
        var message = SignalMessage.Create(
            (byte)state.SessionVersion,
            keys.MacKey,
            state.SenderRatchetKey,
            chainKey.Index,
            state.PreviousCounter,
            body,
            state.LocalIdentityKey,
            state.RemoteIdentityKey ?? throw new InvalidOperationException("session state has no remote identity"),
            spqr.Message,
            addresses);
        state.SenderChainKey = chainKey.Next();
        state.SetPqRatchetState(spqr.State);
        return message;
    }

    /// <summary>
    /// Decrypts <paramref name="message"/> with <paramref name="state"/>, leaving the advanced ratchet in it.
    /// Throws a <see cref="ProtocolException"/> on any failure; the state is then garbage.
    /// </summary>
    public static byte[] Decrypt(
        SessionState state,
        SignalMessage message,
        ProtocolAddress remote,
        ProtocolAddress local,
        CiphertextMessageType originalType)
    {
        if (!state.HasSenderChain)
        {
            throw originalType.Invalid("session state has no sender chain");
        }

        var theirIdentity = state.RemoteIdentityKey ?? throw originalType.Invalid("session state has no remote identity");
        var ourIdentity = state.LocalIdentityKey;
        var selfSession = SessionBuilder.IsSelfSession(ourIdentity, theirIdentity, local, remote);

        var theirRatchetKey = message.SenderRatchetKey;
        var theirRatchetKeyBytes = theirRatchetKey.Serialize();
        var chainKey = GetOrCreateReceiverChain(state, theirRatchetKey, theirRatchetKeyBytes);
        var skipped = GetOrCreateMessageSeed(state, theirRatchetKeyBytes, chainKey, message.Counter, selfSession);

        SpqrRecvResult spqr;
        try
        {
            spqr = SpqrRatchet.Recv(state.PqRatchetState, message.PqRatchet);
        }
        catch (SpqrException e)
        {
            throw new InvalidMessageException($"post-quantum ratchet error: {e.Message}", e);
        }

        var keys = skipped.Keys ?? MessageKeys.Derive(skipped.Seed, spqr.Key ?? [], message.Counter);
        if (!message.VerifyMac(theirIdentity, ourIdentity, keys.MacKey))
        {
            throw new InvalidMacException("MAC verification failed");
        }

        if (message.Addresses is { } addresses)
        {
            // The addresses are inside the MAC; a mismatch means the message was meant for someone else.
            var expected = ServiceIdAddresses.Encode(remote, local);
            if (expected is null || !CryptographicOperations.FixedTimeEquals(expected, addresses))
            {
                throw new InvalidMacException("MAC verification failed (addresses do not match)");
            }
        }

        var plaintext = AesCbcDecrypt(keys, message.Body, originalType);
        state.SetPqRatchetState(spqr.State);
        state.ClearUnacknowledgedPreKeyMessage();
        return plaintext;
    }

    private static ChainKey GetOrCreateReceiverChain(SessionState state, ECPublicKey theirRatchetKey, byte[] theirRatchetKeyBytes)
    {
        if (state.GetReceiverChainKey(theirRatchetKeyBytes) is { } existing)
        {
            return existing;
        }

        // A new ratchet key from the peer: one DH step to receive on it, another with a fresh key pair to send.
        var (receivingRoot, receivingChain) = state.RootKey.CreateChain(theirRatchetKey, state.SenderRatchetPrivateKey);
        var ourNewRatchetKey = ECKeyPair.Generate();
        var (sendingRoot, sendingChain) = receivingRoot.CreateChain(theirRatchetKey, ourNewRatchetKey.PrivateKey);
        state.RootKey = sendingRoot;
        state.AddReceiverChain(theirRatchetKey, receivingChain);
        var currentIndex = state.SenderChainKey.Index;
        state.PreviousCounter = currentIndex > 0 ? currentIndex - 1 : 0;
        state.SetSenderChain(ourNewRatchetKey, sendingChain);
        return receivingChain;
    }

    private static (byte[] Seed, MessageKeys? Keys) GetOrCreateMessageSeed(
        SessionState state, byte[] theirRatchetKeyBytes, ChainKey chainKey, uint counter, bool selfSession)
    {
        if (chainKey.Index > counter)
        {
            var stored = state.TakeSkippedMessageKey(theirRatchetKeyBytes, counter)
                ?? throw new DuplicateMessageException(chainKey.Index, counter);
            return (stored.Seed ?? [], stored.Keys);
        }

        if (counter - chainKey.Index > SessionLimits.MaxForwardJumps && !selfSession)
        {
            throw CiphertextMessageType.Whisper.Invalid("message from too far into the future");
        }

        var current = chainKey;
        while (current.Index < counter)
        {
            state.StoreSkippedMessageKeySeed(theirRatchetKeyBytes, current.Index, current.MessageKeySeed());
            current = current.Next();
        }

        state.SetReceiverChainKey(theirRatchetKeyBytes, current.Next());
        return (current.MessageKeySeed(), null);
    }

    private static byte[] AesCbcEncrypt(MessageKeys keys, ReadOnlySpan<byte> plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = keys.CipherKey;
        return aes.EncryptCbc(plaintext, keys.Iv, PaddingMode.PKCS7);
    }

    private static byte[] AesCbcDecrypt(MessageKeys keys, byte[] body, CiphertextMessageType originalType)
    {
        try
        {
            using var aes = Aes.Create();
            aes.Key = keys.CipherKey;
            return aes.DecryptCbc(body, keys.Iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException e)
        {
            throw new InvalidMessageException($"failed to decrypt {originalType} message: {e.Message}", e);
        }
    }
}
