using System.Collections.Concurrent;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Protocol.Tests.SealedSender;

/// <summary>Identity store for sealed-sender tests: our pair plus the identities we were told about.</summary>
internal sealed class TestIdentityStore(ECKeyPair pair) : IIdentityKeyStore
{
    private readonly ConcurrentDictionary<ProtocolAddress, IdentityKey> known = new();

    public ECKeyPair Pair { get; } = pair;

    public void Trust(ProtocolAddress address, ECPublicKey key) => known[address] = new IdentityKey(key);

    public Task<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new IdentityKeyPair(new IdentityKey(Pair.PublicKey), Pair.PrivateKey));

    public Task<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default) =>
        Task.FromResult(known.TryGetValue(address, out var key) ? key : null);
}
