using System.Text;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Store.Tests.Protocol;

/// <summary>One side of a real conversation, over any set of stores: the shared suites and the end-to-end
/// tests use it to produce genuine session records rather than hand-made bytes.</summary>
internal sealed class ProtocolParty
{
    public ProtocolParty(ProtocolAddress address, IIdentityKeyStore identities, ISessionStore sessions, IPreKeyStore preKeys,
        ISignedPreKeyStore signedPreKeys, IKyberPreKeyStore kyberPreKeys)
    {
        Address = address;
        Identities = identities;
        PreKeys = preKeys;
        SignedPreKeys = signedPreKeys;
        KyberPreKeys = kyberPreKeys;
        Builder = new SessionBuilder(sessions, identities, address);
        Cipher = new SessionCipher(sessions, identities, preKeys, signedPreKeys, kyberPreKeys, address);
    }

    public ProtocolAddress Address { get; }
    public IIdentityKeyStore Identities { get; }
    public IPreKeyStore PreKeys { get; }
    public ISignedPreKeyStore SignedPreKeys { get; }
    public IKyberPreKeyStore KyberPreKeys { get; }
    public SessionBuilder Builder { get; }
    public SessionCipher Cipher { get; }

    public static ProtocolParty InMemory(ProtocolAddress address)
        => new(address, new InMemoryIdentityKeyStore(IdentityKeyPair.Generate(), KeyHelper.GenerateRegistrationId()), new InMemorySessionStore(),
            new InMemoryPreKeyStore(), new InMemorySignedPreKeyStore(), new InMemoryKyberPreKeyStore());

    public async Task<PreKeyBundle> CreateBundleAsync(uint firstId)
    {
        var identity = await Identities.GetIdentityKeyPairAsync();
        var signed = SignedPreKeyRecord.Generate(identity, firstId, 1_700_000_000_000);
        await SignedPreKeys.StoreSignedPreKeyAsync(firstId, signed);
        var kyber = KyberPreKeyRecord.Generate(identity, firstId + 1, 1_700_000_000_000);
        await KyberPreKeys.StoreKyberPreKeyAsync(firstId + 1, kyber);
        var oneTime = PreKeyRecord.Generate(firstId + 2);
        await PreKeys.StorePreKeyAsync(firstId + 2, oneTime);
        return new PreKeyBundle(await Identities.GetLocalRegistrationIdAsync(), Address.DeviceId, firstId + 2, oneTime.KeyPair.PublicKey,
            firstId, signed.KeyPair.PublicKey, signed.Signature, identity.IdentityKey, firstId + 1, kyber.KeyPair.PublicKey, kyber.Signature);
    }

    public Task<CiphertextMessage> EncryptAsync(ProtocolAddress to, string text) => Cipher.EncryptAsync(to, Encoding.UTF8.GetBytes(text));

    public async Task<string> DecryptAsync(ProtocolAddress from, CiphertextMessage message)
    {
        CiphertextMessage received = message.Type == CiphertextMessageType.PreKey
            ? PreKeySignalMessage.Deserialize(message.Serialize())
            : SignalMessage.Deserialize(message.Serialize());
        return Encoding.UTF8.GetString(await Cipher.DecryptAsync(from, received));
    }
}

internal static class ProtocolRun
{
    /// <summary>Alice's session record after she set up a session with Bob from his bundle.</summary>
    public static async Task<SessionRecord> EstablishedSessionAsync()
    {
        var alice = ProtocolParty.InMemory(new ProtocolAddress("aaaaaaaa-0000-4000-8000-000000000001", 1));
        var bob = ProtocolParty.InMemory(new ProtocolAddress("bbbbbbbb-0000-4000-8000-000000000002", 1));
        var sessions = new InMemorySessionStore();
        var builder = new SessionBuilder(sessions, alice.Identities, alice.Address);
        await builder.ProcessPreKeyBundleAsync(bob.Address, await bob.CreateBundleAsync(100));
        return (await sessions.LoadSessionAsync(bob.Address))!;
    }
}
