// TEMPORARY: stand-ins for contracted types whose owners ("crypto" for keys/stores/errors, "session" for
// CiphertextMessageType) have not committed them yet. Deleted as soon as their branches are merged.
using SignalSharp.Crypto;

namespace SignalSharp.Protocol
{
    public readonly record struct ProtocolAddress(string Name, uint DeviceId);

    public abstract class ProtocolException : Exception
    {
        protected ProtocolException(string message)
            : base(message)
        {
        }

        protected ProtocolException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }

    public sealed class IdentityKey(ECPublicKey publicKey)
    {
        public ECPublicKey PublicKey { get; } = publicKey;
    }

    public sealed class IdentityKeyPair(IdentityKey identityKey, ECPrivateKey privateKey)
    {
        public IdentityKey IdentityKey { get; } = identityKey;

        public ECPrivateKey PrivateKey { get; } = privateKey;
    }
}

namespace SignalSharp.Protocol.Storage
{
    public interface IIdentityKeyStore
    {
        Task<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default);

        Task<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default);
    }
}

namespace SignalSharp.Protocol.Messages
{
    public enum CiphertextMessageType
    {
        Whisper = 2,
        PreKey = 3,
        SenderKey = 7,
        Plaintext = 8,
    }
}
