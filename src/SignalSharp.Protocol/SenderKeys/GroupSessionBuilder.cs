using System.Security.Cryptography;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Protocol.SenderKeys;

/// <summary>
/// Creates our own sender-key chains (and the distribution messages that hand them out) and installs the chains
/// other group members send us. Delivering distribution messages over 1:1 sessions is the caller's job.
/// </summary>
public sealed class GroupSessionBuilder(ISenderKeyStore store)
{
    /// <summary>
    /// Returns the distribution message for our chain of <paramref name="distributionId"/>, creating the chain
    /// (random 31-bit chain id, random chain key, fresh signing key) when there is none yet.
    /// </summary>
    public async Task<SenderKeyDistributionMessage> CreateAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default)
    {
        var record = await store.LoadSenderKeyAsync(sender, distributionId, cancellationToken).ConfigureAwait(false);
        if (record is null || record.IsEmpty)
        {
            record = new SenderKeyRecord();
            var chainId = RandomChainId();
            var signing = ECKeyPair.Generate();
            record.AddState(SenderKeyMessage.CurrentVersion, chainId, 0, RandomNumberGenerator.GetBytes(32), signing.PublicKey, signing.PrivateKey);
            await store.StoreSenderKeyAsync(sender, distributionId, record, cancellationToken).ConfigureAwait(false);
        }

        var state = record.Current!;
        var chainKey = state.ChainKey;
        return new SenderKeyDistributionMessage(state.MessageVersion, distributionId, state.ChainId, chainKey.Iteration, chainKey.Seed, state.SigningPublic);
    }

    /// <summary>Installs the chain a group member sent us in <paramref name="message"/>.</summary>
    public async Task ProcessAsync(ProtocolAddress sender, SenderKeyDistributionMessage message, CancellationToken cancellationToken = default)
    {
        var record = await store.LoadSenderKeyAsync(sender, message.DistributionId, cancellationToken).ConfigureAwait(false) ?? new SenderKeyRecord();
        record.AddState(message.MessageVersion, message.ChainId, message.Iteration, message.ChainKey, message.SigningKey, null);
        await store.StoreSenderKeyAsync(sender, message.DistributionId, record, cancellationToken).ConfigureAwait(false);
    }

    private static uint RandomChainId()
    {
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes) >> 1;
    }
}
