using System.Security.Cryptography;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Protocol.SenderKeys;

/// <summary>
/// Encrypts group messages on our own sender-key chain and decrypts those of other members, advancing chains and
/// keeping keys of skipped iterations. State is saved only after a message was decrypted successfully.
/// </summary>
public sealed class GroupCipher(ISenderKeyStore store)
{
    /// <summary>How far ahead of the chain a message may be; further is refused rather than derived.</summary>
    public const int MaxForwardJumps = 25_000;

    public async Task<SenderKeyMessage> EncryptAsync(ProtocolAddress sender, Guid distributionId, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        var record = await store.LoadSenderKeyAsync(sender, distributionId, cancellationToken).ConfigureAwait(false)
            ?? throw new NoSenderKeyStateException(sender, distributionId);
        var state = record.Current ?? throw new InvalidSenderKeySessionException(distributionId, "no sender key state to encrypt with");
        var signing = state.SigningPrivate ?? throw new InvalidSenderKeySessionException(distributionId, "sender key state has no private signing key");
        var chainKey = state.ChainKey;
        var messageKey = chainKey.MessageKey();
        var (iv, key) = messageKey.Derive();
        var ciphertext = Aes256Cbc.Encrypt(key, iv, plaintext.Span);
        var message = SenderKeyMessage.Create(state.MessageVersion, distributionId, state.ChainId, messageKey.Iteration, ciphertext, signing);
        state.ChainKey = chainKey.Next();
        await store.StoreSenderKeyAsync(sender, distributionId, record, cancellationToken).ConfigureAwait(false);
        return message;
    }

    public Task<byte[]> DecryptAsync(ProtocolAddress sender, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        DecryptAsync(sender, SenderKeyMessage.Deserialize(message.Span), cancellationToken);

    public async Task<byte[]> DecryptAsync(ProtocolAddress sender, SenderKeyMessage message, CancellationToken cancellationToken = default)
    {
        var stored = await store.LoadSenderKeyAsync(sender, message.DistributionId, cancellationToken).ConfigureAwait(false)
            ?? throw new NoSenderKeyStateException(sender, message.DistributionId);
        var record = stored.Clone();
        var state = record.ForChainId(message.ChainId) ?? throw new NoSenderKeyStateException(sender, message.DistributionId);
        if (message.MessageVersion != state.MessageVersion)
        {
            throw new InvalidSenderKeyMessageException($"sender key message version {message.MessageVersion} does not match the chain's {state.MessageVersion}");
        }

        if (!message.VerifySignature(state.SigningPublic))
        {
            throw new InvalidSenderKeySignatureException(sender, message.DistributionId);
        }

        var (iv, key) = MessageKeyFor(state, message.Iteration, sender, message.DistributionId).Derive();
        byte[] plaintext;
        try
        {
            plaintext = Aes256Cbc.Decrypt(key, iv, message.Ciphertext);
        }
        catch (Exception e) when (e is CryptographicException or CryptoException)
        {
            throw new InvalidSenderKeySessionException(message.DistributionId, "sender key message failed to decrypt");
        }

        await store.StoreSenderKeyAsync(sender, message.DistributionId, record, cancellationToken).ConfigureAwait(false);
        return plaintext;
    }

    private static SenderMessageKey MessageKeyFor(SenderKeyState state, uint iteration, ProtocolAddress sender, Guid distributionId)
    {
        var chainKey = state.ChainKey;
        if (chainKey.Iteration > iteration)
        {
            return state.TakeMessageKey(iteration) ?? throw new DuplicateSenderKeyMessageException(sender, distributionId, chainKey.Iteration, iteration);
        }

        if (iteration - chainKey.Iteration > MaxForwardJumps)
        {
            throw new InvalidSenderKeyMessageException($"sender key message from too far into the future ({iteration - chainKey.Iteration} iterations ahead)");
        }

        while (chainKey.Iteration < iteration)
        {
            state.AddMessageKey(chainKey.MessageKey());
            chainKey = chainKey.Next();
        }

        state.ChainKey = chainKey.Next();
        return chainKey.MessageKey();
    }
}
