using SignalSharp.Protocol;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Bench.Protocol;

/// <summary>A benchmark participant: identity, in-memory stores, and a builder/cipher bound to its address.</summary>
internal sealed class SessionBenchParty
{
    public SessionBenchParty(string name)
    {
        Address = new ProtocolAddress(name, 1);
        Identity = IdentityKeyPair.Generate();
        RegistrationId = KeyHelper.GenerateRegistrationId();
        Identities = new InMemoryIdentityKeyStore(Identity, RegistrationId);
        Reset();
    }

    public ProtocolAddress Address { get; }

    public IdentityKeyPair Identity { get; }

    public uint RegistrationId { get; }

    public InMemoryIdentityKeyStore Identities { get; }

    public InMemoryPreKeyStore PreKeys { get; } = new();

    public InMemorySignedPreKeyStore SignedPreKeys { get; } = new();

    public InMemoryKyberPreKeyStore KyberPreKeys { get; } = new();

    public InMemorySessionStore Sessions { get; private set; } = null!;

    public SessionBuilder Builder { get; private set; } = null!;

    public SessionCipher Cipher { get; private set; } = null!;

    /// <summary>Forgets all sessions (a fresh session store), keeping identity and prekeys.</summary>
    public void Reset()
    {
        Sessions = new InMemorySessionStore();
        Builder = new SessionBuilder(Sessions, Identities, Address);
        Cipher = new SessionCipher(Sessions, Identities, PreKeys, SignedPreKeys, KyberPreKeys, Address);
    }

    /// <summary>A bundle without a one-time prekey, so that it can be used again and again.</summary>
    public async Task<PreKeyBundle> CreateReusableBundleAsync()
    {
        var signed = SignedPreKeyRecord.Generate(Identity, 1);
        var kyber = KyberPreKeyRecord.Generate(Identity, 2);
        await SignedPreKeys.StoreSignedPreKeyAsync(signed.Id, signed);
        await KyberPreKeys.StoreLastResortKyberPreKeyAsync(kyber.Id, kyber);
        return PreKeyBundle.FromRecords(RegistrationId, Address.DeviceId, Identity.IdentityKey, signed, kyber);
    }
}
