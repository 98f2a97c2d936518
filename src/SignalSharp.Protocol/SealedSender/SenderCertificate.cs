using Google.Protobuf;
using SignalSharp.Crypto;
using Wire = SignalSharp.Protocol.SealedSender.Proto;

namespace SignalSharp.Protocol.SealedSender;

/// <summary>
/// The server's statement "this identity key belongs to ACI x (and E.164 y), device n, until t", signed by a
/// server key that is itself certified by a trust root. It rides inside every sealed message and is the only
/// thing that tells the recipient who sent it.
/// </summary>
public sealed class SenderCertificate
{
    private readonly byte[] serialized;

    private SenderCertificate(string senderUuid, string? senderE164, uint senderDeviceId, ulong expiration, ECPublicKey key,
        ServerCertificate signer, byte[] certificate, byte[] signature, byte[] serialized)
    {
        SenderUuid = senderUuid;
        SenderE164 = senderE164;
        SenderDeviceId = senderDeviceId;
        Expiration = expiration;
        Key = key;
        Signer = signer;
        Certificate = certificate;
        Signature = signature;
        this.serialized = serialized;
    }

    /// <summary>The sender's service id string (an ACI UUID in practice).</summary>
    public string SenderUuid { get; }

    /// <summary>The sender's ACI, when <see cref="SenderUuid"/> is a plain UUID.</summary>
    public Guid? SenderAci => Guid.TryParseExact(SenderUuid, "D", out var aci) ? aci : null;

    public string? SenderE164 { get; }

    public uint SenderDeviceId { get; }

    /// <summary>Milliseconds since 1970 after which the certificate is no longer valid.</summary>
    public ulong Expiration { get; }

    /// <summary>The sender's identity key.</summary>
    public ECPublicKey Key { get; }

    /// <summary>The server certificate that signed this one (embedded, or a known one named by id).</summary>
    public ServerCertificate Signer { get; }

    public byte[] Certificate { get; }

    public byte[] Signature { get; }

    public byte[] Serialize() => (byte[])serialized.Clone();

    /// <summary>Issues a sender certificate (what the Signal server does; used by tests and tools).</summary>
    public static SenderCertificate Create(string senderUuid, string? senderE164, uint senderDeviceId, ECPublicKey identityKey, ulong expiration,
        ServerCertificate signer, ECPrivateKey signerKey)
    {
        var inner = new Wire.SenderCertificateBody.Types.Certificate
        {
            SenderDevice = senderDeviceId,
            Expires = expiration,
            IdentityKey = ByteString.CopyFrom(identityKey.Serialize()),
            SignerCertificate = ByteString.CopyFrom(signer.Serialize()),
            UuidString = senderUuid,
        };
        if (senderE164 is not null)
        {
            inner.SenderE164 = senderE164;
        }

        var certificate = inner.ToByteArray();
        var signature = signerKey.CalculateSignature(certificate);
        var outer = new Wire.SenderCertificateBody { Certificate = ByteString.CopyFrom(certificate), Signature = ByteString.CopyFrom(signature) };
        return new SenderCertificate(senderUuid, senderE164, senderDeviceId, expiration, identityKey, signer, certificate, signature, outer.ToByteArray());
    }

    public static SenderCertificate Deserialize(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var outer = Wire.SenderCertificateBody.Parser.ParseFrom(bytes);
            if (!outer.HasCertificate || !outer.HasSignature)
            {
                throw new InvalidCertificateException("sender certificate lacks its certificate or signature");
            }

            var inner = Wire.SenderCertificateBody.Types.Certificate.Parser.ParseFrom(outer.Certificate);
            if (!inner.HasSenderDevice || !inner.HasExpires || !inner.HasIdentityKey)
            {
                throw new InvalidCertificateException("sender certificate lacks its device, expiry or identity key");
            }

            if (inner.SenderDevice is < 1 or > 127)
            {
                throw new InvalidCertificateException($"sender certificate device id {inner.SenderDevice} is out of range");
            }

            var uuid = inner.SenderUuidCase switch
            {
                Wire.SenderCertificateBody.Types.Certificate.SenderUuidOneofCase.UuidString => inner.UuidString,
                Wire.SenderCertificateBody.Types.Certificate.SenderUuidOneofCase.UuidBytes when inner.UuidBytes.Length == 16 =>
                    new Guid(inner.UuidBytes.Span, bigEndian: true).ToString(),
                _ => throw new InvalidCertificateException("sender certificate lacks a valid sender uuid"),
            };
            var signer = inner.SignerCase switch
            {
                Wire.SenderCertificateBody.Types.Certificate.SignerOneofCase.SignerCertificate => ServerCertificate.Deserialize(inner.SignerCertificate.Span),
                Wire.SenderCertificateBody.Types.Certificate.SignerOneofCase.SignerId =>
                    KnownServerCertificates.Find(inner.SignerId) ?? throw new InvalidCertificateException($"unknown server certificate id {inner.SignerId}"),
                _ => throw new InvalidCertificateException("sender certificate lacks its signer"),
            };
            return new SenderCertificate(uuid, inner.HasSenderE164 ? inner.SenderE164 : null, inner.SenderDevice, inner.Expires,
                ECPublicKey.Deserialize(inner.IdentityKey.Span), signer, outer.Certificate.ToByteArray(), outer.Signature.ToByteArray(), bytes.ToArray());
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or CryptoException)
        {
            throw new InvalidCertificateException($"sender certificate is malformed: {e.Message}");
        }
    }

    /// <summary>Validates against one trust root; see <see cref="Validate(IReadOnlyCollection{ECPublicKey}, ulong)"/>.</summary>
    public bool Validate(ECPublicKey trustRoot, ulong nowMillis) => Validate([trustRoot], nowMillis);

    /// <summary>
    /// True when one of <paramref name="trustRoots"/> signed the server certificate (every root is checked, so
    /// the time taken does not tell which), the server key signed this certificate, and it has not expired
    /// (<paramref name="nowMillis"/> equal to the expiry still passes).
    /// </summary>
    public bool Validate(IReadOnlyCollection<ECPublicKey> trustRoots, ulong nowMillis)
    {
        var anyRoot = false;
        foreach (var root in trustRoots)
        {
            anyRoot |= Signer.Validate(root);
        }

        return anyRoot && Signer.Key.VerifySignature(Certificate, Signature) && nowMillis <= Expiration;
    }
}
