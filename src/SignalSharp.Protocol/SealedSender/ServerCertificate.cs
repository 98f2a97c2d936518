using Google.Protobuf;
using SignalSharp.Crypto;
using Wire = SignalSharp.Protocol.SealedSender.Proto;

namespace SignalSharp.Protocol.SealedSender;

/// <summary>
/// The Signal server's sealed-sender signing key, certified by a trust root: <c>{1 certificate {1 id, 2 key(33)},
/// 2 signature}</c>, the signature being the trust root's XEdDSA over the certificate bytes.
/// </summary>
public sealed class ServerCertificate
{
    /// <summary>Key ids that are never accepted as signers (libsignal's revocation list: one test id).</summary>
    private static readonly uint[] RevokedKeyIds = [0xDEADC357];

    private readonly byte[] serialized;

    private ServerCertificate(uint keyId, ECPublicKey key, byte[] certificate, byte[] signature, byte[] serialized)
    {
        KeyId = keyId;
        Key = key;
        Certificate = certificate;
        Signature = signature;
        this.serialized = serialized;
    }

    public uint KeyId { get; }

    /// <summary>The server key that signs sender certificates.</summary>
    public ECPublicKey Key { get; }

    /// <summary>The signed inner bytes, exactly as received.</summary>
    public byte[] Certificate { get; }

    public byte[] Signature { get; }

    public byte[] Serialize() => (byte[])serialized.Clone();

    /// <summary>Issues a server certificate (what the Signal server's operator does; used by tests and tools).</summary>
    public static ServerCertificate Create(uint keyId, ECPublicKey serverKey, ECPrivateKey trustRoot)
    {
        var certificate = new Wire.ServerCertificateBody.Types.Certificate { Id = keyId, Key = ByteString.CopyFrom(serverKey.Serialize()) }.ToByteArray();
        var signature = trustRoot.CalculateSignature(certificate);
        var outer = new Wire.ServerCertificateBody { Certificate = ByteString.CopyFrom(certificate), Signature = ByteString.CopyFrom(signature) };
        return new ServerCertificate(keyId, serverKey, certificate, signature, outer.ToByteArray());
    }

    public static ServerCertificate Deserialize(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var outer = Wire.ServerCertificateBody.Parser.ParseFrom(bytes);
            if (!outer.HasCertificate || !outer.HasSignature)
            {
                throw new InvalidCertificateException("server certificate lacks its certificate or signature");
            }

            var inner = Wire.ServerCertificateBody.Types.Certificate.Parser.ParseFrom(outer.Certificate);
            if (!inner.HasId || !inner.HasKey)
            {
                throw new InvalidCertificateException("server certificate lacks its id or key");
            }

            return new ServerCertificate(inner.Id, ECPublicKey.Deserialize(inner.Key.Span), outer.Certificate.ToByteArray(), outer.Signature.ToByteArray(), bytes.ToArray());
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or CryptoException)
        {
            throw new InvalidCertificateException($"server certificate is malformed: {e.Message}");
        }
    }

    /// <summary>True when <paramref name="trustRoot"/> signed this certificate and its key id is not revoked.</summary>
    public bool Validate(ECPublicKey trustRoot) =>
        !RevokedKeyIds.Contains(KeyId) && trustRoot.VerifySignature(Certificate, Signature);
}
