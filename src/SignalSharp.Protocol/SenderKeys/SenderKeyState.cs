using Google.Protobuf;
using SignalSharp.Crypto;
using Stored = SignalSharp.Protocol.SenderKeys.Proto;

namespace SignalSharp.Protocol.SenderKeys;

/// <summary>
/// One sender chain of a <see cref="SenderKeyRecord"/>: chain id, current chain key, signing key (private only for
/// our own chains) and the message keys kept for skipped iterations.
/// </summary>
internal sealed class SenderKeyState
{
    /// <summary>Message keys kept for out-of-order delivery per chain; the oldest are dropped first.</summary>
    internal const int MaxMessageKeys = 2000;

    internal SenderKeyState(Stored.SenderKeyStateStructure structure) => Structure = structure;

    internal SenderKeyState(byte messageVersion, uint chainId, uint iteration, byte[] chainKey, ECPublicKey signingPublic, ECPrivateKey? signingPrivate)
    {
        Structure = new Stored.SenderKeyStateStructure
        {
            MessageVersion = messageVersion,
            ChainId = chainId,
            SenderChainKey = new Stored.SenderKeyStateStructure.Types.SenderChainKey { Iteration = iteration, Seed = ByteString.CopyFrom(chainKey) },
            SenderSigningKey = new Stored.SenderKeyStateStructure.Types.SenderSigningKey
            {
                Public = ByteString.CopyFrom(signingPublic.Serialize()),
                Private = signingPrivate is null ? ByteString.Empty : ByteString.CopyFrom(signingPrivate.Serialize()),
            },
        };
    }

    internal Stored.SenderKeyStateStructure Structure { get; }

    /// <summary>Records written before the version field existed hold version-3 chains.</summary>
    public byte MessageVersion => Structure.MessageVersion == 0 ? Messages.SenderKeyMessage.CurrentVersion : (byte)Structure.MessageVersion;

    public uint ChainId => Structure.ChainId;

    public SenderChainKey ChainKey
    {
        get
        {
            var chain = Structure.SenderChainKey ?? throw new InvalidSenderKeySessionException("sender key state has no chain key");
            return new SenderChainKey(chain.Iteration, chain.Seed.ToByteArray());
        }

        set => Structure.SenderChainKey = new Stored.SenderKeyStateStructure.Types.SenderChainKey { Iteration = value.Iteration, Seed = ByteString.CopyFrom(value.Seed) };
    }

    public ECPublicKey SigningPublic =>
        ECPublicKey.Deserialize((Structure.SenderSigningKey ?? throw new InvalidSenderKeySessionException("sender key state has no signing key")).Public.Span);

    public ECPrivateKey? SigningPrivate =>
        Structure.SenderSigningKey is { Private.Length: > 0 } key ? ECPrivateKey.Deserialize(key.Private.Span) : null;

    public void AddMessageKey(SenderMessageKey key)
    {
        Structure.SenderMessageKeys.Add(new Stored.SenderKeyStateStructure.Types.SenderMessageKey { Iteration = key.Iteration, Seed = ByteString.CopyFrom(key.Seed) });
        while (Structure.SenderMessageKeys.Count > MaxMessageKeys)
        {
            Structure.SenderMessageKeys.RemoveAt(0);
        }
    }

    public SenderMessageKey? TakeMessageKey(uint iteration)
    {
        var keys = Structure.SenderMessageKeys;
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].Iteration == iteration)
            {
                var found = keys[i];
                keys.RemoveAt(i);
                return new SenderMessageKey(found.Iteration, found.Seed.ToByteArray());
            }
        }

        return null;
    }

    public bool HasSigningKey(ECPublicKey key) => Structure.SenderSigningKey is { } signing && ConstantTime.Equals(signing.Public.Span, key.Serialize());
}
