using Google.Protobuf;
using SignalSharp.Account.Messages;
using SignalSharp.Account.Receiving;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SealedSender = SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Storage;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Tests;

/// <summary>
/// Another device with a real session to the account under test (in memory on its side, built from pre-keys stored
/// in the account's database): what it sends decrypts through the account's session store, as from the network.
/// </summary>
internal sealed class SessionContact
{
    private static int nextKeyId = 100;
    private readonly SessionCipher cipher;
    private readonly SealedSender.SealedSessionCipher sealedCipher;
    private readonly ProtocolAddress accountAddress;

    private SessionContact(Guid aci, uint device, IdentityKeyPair identity, SessionCipher cipher, SealedSender.SealedSessionCipher sealedCipher, ProtocolAddress accountAddress)
    {
        Aci = aci;
        Device = device;
        Identity = identity;
        this.cipher = cipher;
        this.sealedCipher = sealedCipher;
        this.accountAddress = accountAddress;
    }

    public IdentityKeyPair Identity { get; }

    public Guid Aci { get; }

    public uint Device { get; }

    /// <summary>A contact of the account <paramref name="me"/>.<paramref name="myDevice"/>, whose local identity must be set.
    /// <paramref name="identity"/> defaults to a fresh key pair (pass the account's own for one of its other devices).</summary>
    public static async Task<SessionContact> CreateAsync(AccountDatabase db, Guid me, uint myDevice, Guid? aci = null, uint device = 1, IdentityKeyPair? identity = null)
    {
        var stores = db.ProtocolStores(AccountIdentity.Aci);
        var mine = await stores.IdentityKeys.GetIdentityKeyPairAsync();
        var signedId = (uint)Interlocked.Increment(ref nextKeyId);
        var kyberId = (uint)Interlocked.Increment(ref nextKeyId);
        var signed = SignedPreKeyRecord.Generate(mine, signedId);
        var kyber = KyberPreKeyRecord.Generate(mine, kyberId);
        await stores.SignedPreKeys.StoreSignedPreKeyAsync(signedId, signed);
        await stores.KyberPreKeys.StoreKyberPreKeyAsync(kyberId, kyber);

        var contactAci = aci ?? Guid.NewGuid();
        var own = new ProtocolAddress(contactAci.ToString(), device);
        var accountAddress = new ProtocolAddress(me.ToString(), myDevice);
        var sessions = new InMemorySessionStore();
        identity ??= IdentityKeyPair.Generate();
        var identities = new InMemoryIdentityKeyStore(identity, 55);
        await new SessionBuilder(sessions, identities, own).ProcessPreKeyBundleAsync(accountAddress, new PreKeyBundle(
            await stores.IdentityKeys.GetLocalRegistrationIdAsync(), myDevice, null, null, signedId, signed.KeyPair.PublicKey, signed.Signature,
            mine.IdentityKey, kyberId, kyber.KeyPair.PublicKey, kyber.Signature));
        var cipher = new SessionCipher(sessions, identities, new InMemoryPreKeyStore(), new InMemorySignedPreKeyStore(), new InMemoryKyberPreKeyStore(), own);
        var sealedCipher = new SealedSender.SealedSessionCipher(sessions, identities, new InMemoryPreKeyStore(), new InMemorySignedPreKeyStore(),
            new InMemoryKyberPreKeyStore(), new InMemorySenderKeyStore(), own);
        return new SessionContact(contactAci, device, identity, cipher, sealedCipher, accountAddress);
    }

    /// <summary><paramref name="content"/> encrypted through the session, as the server delivers it.</summary>
    public async Task<ReceivedEnvelope> EnvelopeAsync(Proto.Content content, ulong timestamp)
    {
        var message = await cipher.EncryptAsync(accountAddress, ContentPadding.Pad(content.ToByteArray()));
        return new ReceivedEnvelope
        {
            Type = message is PreKeySignalMessage ? EnvelopeType.PreKeyMessage : EnvelopeType.DoubleRatchet,
            SourceServiceId = Aci.ToString(), SourceDevice = Device, ClientTimestamp = timestamp, ServerTimestamp = timestamp,
            Content = message.Serialize(),
        };
    }

    /// <summary>A text sealed with <paramref name="certificate"/>, as the server delivers it at <paramref name="serverTimestamp"/>.</summary>
    public async Task<ReceivedEnvelope> SealedTextAsync(ulong timestamp, string text, SealedSender.SenderCertificate certificate, ulong serverTimestamp)
    {
        var content = new Proto.Content { DataMessage = new Proto.DataMessage { Body = text, Timestamp = timestamp } };
        var bytes = await sealedCipher.EncryptAsync(accountAddress, ContentPadding.Pad(content.ToByteArray()), certificate);
        return new ReceivedEnvelope { Type = EnvelopeType.UnidentifiedSender, ClientTimestamp = timestamp, ServerTimestamp = serverTimestamp, Content = bytes };
    }

    /// <summary>A text message through the session.</summary>
    public Task<ReceivedEnvelope> TextAsync(ulong timestamp, string text) =>
        EnvelopeAsync(new Proto.Content { DataMessage = new Proto.DataMessage { Body = text, Timestamp = timestamp } }, timestamp);

    /// <summary>What a server can make up without any key: <paramref name="content"/> in a plaintext-content envelope
    /// (type 8) that names <paramref name="sender"/> as its source.</summary>
    public static ReceivedEnvelope Forged(Guid sender, uint device, ulong timestamp, Proto.Content content) => new()
    {
        Type = EnvelopeType.PlaintextContent, SourceServiceId = sender.ToString(), SourceDevice = device,
        ClientTimestamp = timestamp, ServerTimestamp = timestamp,
        Content = [0xC0, .. ContentPadding.Pad(content.ToByteArray())],
    };
}
