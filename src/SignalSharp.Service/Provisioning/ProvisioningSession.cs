using System.Security.Cryptography;
using Google.Protobuf;
using SignalSharp.Service.Proto;

namespace SignalSharp.Service.Provisioning;

/// <summary>
/// The new device's side of linking: an ephemeral key pair, the <c>sgnl://linkdevice</c> URI the primary scans,
/// and the decryption of the <c>ProvisionEnvelope</c> it then sends over the provisioning socket.
/// </summary>
public sealed class ProvisioningSession : IDisposable
{
    private readonly byte[] privateKey;
    private bool disposed;

    private ProvisioningSession(byte[] privateKey, byte[] publicKey)
    {
        this.privateKey = privateKey;
        PublicKey = publicKey;
    }

    /// <summary>Our ephemeral public key, 33 bytes with the 0x05 type byte.</summary>
    public byte[] PublicKey { get; }

    public static ProvisioningSession Create()
    {
        var (privateKey, publicKey) = ProvisioningCipher.GenerateKeyPair();
        return new ProvisioningSession(privateKey, publicKey);
    }

    /// <summary>
    /// The URI for the QR code. The base64 key is percent-encoded: a raw '+' would reach the server's query
    /// parser as a space.
    /// </summary>
    public Uri LinkUri(string provisioningAddress) =>
        new($"sgnl://linkdevice?uuid={Uri.EscapeDataString(provisioningAddress)}&pub_key={Uri.EscapeDataString(Convert.ToBase64String(PublicKey))}");

    /// <summary>Decrypts and parses a serialized <c>ProvisionEnvelope</c>.</summary>
    /// <exception cref="ServiceProtocolException">Not for us, tampered with, or missing what linking needs.</exception>
    public ProvisionData Decrypt(ReadOnlySpan<byte> envelopeBytes)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ProvisionEnvelope envelope;
        try
        {
            envelope = ProvisionEnvelope.Parser.ParseFrom(envelopeBytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ServiceProtocolException("provisioning: the envelope is not a ProvisionEnvelope", e);
        }

        var plaintext = ProvisioningCipher.Decrypt(privateKey, envelope.PublicKey.Span, envelope.Body.Span);
        ProvisionMessage message;
        try
        {
            message = ProvisionMessage.Parser.ParseFrom(plaintext);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ServiceProtocolException("provisioning: the decrypted message is not a ProvisionMessage", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }

        return ToData(message);
    }

    public void Dispose()
    {
        disposed = true;
        CryptographicOperations.ZeroMemory(privateKey);
    }

    private static ProvisionData ToData(ProvisionMessage message)
    {
        if (!message.HasAciBinary || message.AciBinary.Length != 16)
        {
            throw new ServiceProtocolException("provisioning: the message has no 16-byte ACI");
        }

        if (!message.HasProvisioningCode || !message.HasAciIdentityKeyPublic || !message.HasAciIdentityKeyPrivate)
        {
            throw new ServiceProtocolException("provisioning: the message lacks the provisioning code or the ACI identity key");
        }

        return new ProvisionData
        {
            Aci = new Guid(message.AciBinary.Span, bigEndian: true),
            Pni = message.HasPniBinary && message.PniBinary.Length == 16 ? new Guid(message.PniBinary.Span, bigEndian: true) : null,
            Number = message.HasNumber ? message.Number : null,
            ProvisioningCode = message.ProvisioningCode,
            AciIdentity = new IdentityKeyMaterial(message.AciIdentityKeyPublic.ToByteArray(), message.AciIdentityKeyPrivate.ToByteArray()),
            PniIdentity = message.HasPniIdentityKeyPublic && message.HasPniIdentityKeyPrivate
                ? new IdentityKeyMaterial(message.PniIdentityKeyPublic.ToByteArray(), message.PniIdentityKeyPrivate.ToByteArray())
                : null,
            ProfileKey = message.HasProfileKey ? message.ProfileKey.ToByteArray() : null,
            MasterKey = message.HasMasterKey ? message.MasterKey.ToByteArray() : null,
            AccountEntropyPool = message.HasAccountEntropyPool ? message.AccountEntropyPool : null,
            MediaRootBackupKey = message.HasMediaRootBackupKey ? message.MediaRootBackupKey.ToByteArray() : null,
            ReadReceipts = message.ReadReceipts,
            UserAgent = message.HasUserAgent ? message.UserAgent : null,
            ProvisioningVersion = message.ProvisioningVersion,
            AuthCredentialSalt = message.HasAuthCredentialSalt ? message.AuthCredentialSalt.ToByteArray() : null,
        };
    }
}
