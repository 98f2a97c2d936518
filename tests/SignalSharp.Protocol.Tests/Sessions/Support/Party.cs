using SignalSharp.Crypto;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Protocol.Tests.Sessions.Support;

/// <summary>A C# participant: identity, in-memory stores, a session builder and cipher bound to its address.</summary>
internal sealed class Party
{
    private uint nextId = (uint)Random.Shared.Next(1, 10_000);

    public Party(string name, uint deviceId = 1, IdentityKeyPair? identity = null, TimeProvider? time = null)
    {
        Address = new ProtocolAddress(name, deviceId);
        Identity = identity ?? IdentityKeyPair.Generate();
        RegistrationId = KeyHelper.GenerateRegistrationId();
        Identities = new InMemoryIdentityKeyStore(Identity, RegistrationId);
        Builder = new SessionBuilder(Sessions, Identities, Address, time);
        Cipher = new SessionCipher(Sessions, Identities, PreKeys, SignedPreKeys, KyberPreKeys, Address, time);
    }

    public ProtocolAddress Address { get; }

    public IdentityKeyPair Identity { get; }

    public uint RegistrationId { get; }

    public InMemorySessionStore Sessions { get; } = new();

    public InMemoryIdentityKeyStore Identities { get; }

    public InMemoryPreKeyStore PreKeys { get; } = new();

    public InMemorySignedPreKeyStore SignedPreKeys { get; } = new();

    public InMemoryKyberPreKeyStore KyberPreKeys { get; } = new();

    public SessionBuilder Builder { get; }

    public SessionCipher Cipher { get; }

    /// <summary>Generates and stores a signed prekey, a Kyber prekey and optionally a one-time prekey.</summary>
    public async Task<PreKeyBundle> CreateBundleAsync(bool withOneTimePreKey = true)
    {
        var signedId = nextId++;
        var kyberId = nextId++;
        var signed = ECKeyPair.Generate();
        var signedRecord = new SignedPreKeyRecord(signedId, 1_700_000_000_000, signed, Identity.PrivateKey.CalculateSignature(signed.PublicKey.Serialize()));
        await SignedPreKeys.StoreSignedPreKeyAsync(signedId, signedRecord);
        var kyber = KemKeyPair.Generate();
        var kyberRecord = new KyberPreKeyRecord(kyberId, 1_700_000_000_000, kyber, Identity.PrivateKey.CalculateSignature(kyber.PublicKey.Serialize()));
        await KyberPreKeys.StoreKyberPreKeyAsync(kyberId, kyberRecord);
        uint? oneTimeId = null;
        ECPublicKey? oneTimePublic = null;
        if (withOneTimePreKey)
        {
            oneTimeId = nextId++;
            var oneTime = ECKeyPair.Generate();
            await PreKeys.StorePreKeyAsync(oneTimeId.Value, new PreKeyRecord(oneTimeId.Value, oneTime));
            oneTimePublic = oneTime.PublicKey;
        }

        return new PreKeyBundle(
            RegistrationId, Address.DeviceId, oneTimeId, oneTimePublic, signedId, signed.PublicKey, signedRecord.Signature,
            Identity.IdentityKey, kyberId, kyber.PublicKey, kyberRecord.Signature);
    }

    public Task<CiphertextMessage> EncryptAsync(ProtocolAddress to, string text) =>
        Cipher.EncryptAsync(to, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Decrypts a message as received from <paramref name="from"/> (re-parsed from its bytes) as UTF-8 text.</summary>
    public async Task<string> DecryptAsync(CiphertextMessage message, ProtocolAddress from) =>
        System.Text.Encoding.UTF8.GetString(await Cipher.DecryptAsync(from, Reparse(message)));

    /// <summary>What a receiver gets: the message re-parsed from its wire bytes.</summary>
    public static CiphertextMessage Reparse(CiphertextMessage message) => message.Type switch
    {
        CiphertextMessageType.PreKey => PreKeySignalMessage.Deserialize(message.Serialize()),
        _ => SignalMessage.Deserialize(message.Serialize()),
    };
}
