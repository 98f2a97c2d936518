using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Service.Provisioning;

/// <summary>
/// The provisioning cipher: the primary encrypts a <c>ProvisionMessage</c> to the new device's ephemeral
/// Curve25519 key. <c>shared = X25519(ours, theirs)</c>; <c>HKDF-SHA256(shared, no salt,
/// "TextSecure Provisioning Message")</c> gives 32 bytes of AES key then 32 of MAC key; the body is
/// <c>0x01 ‖ iv(16) ‖ AES-256-CBC/PKCS7 ‖ HMAC-SHA256(mac key, everything before)</c>.
/// </summary>
internal static class ProvisioningCipher
{
    public const byte Version = 1;
    private const byte DjbKeyType = 0x05;
    private const int MacLength = 32;
    private const int IvLength = 16;
    private static readonly byte[] Info = "TextSecure Provisioning Message"u8.ToArray();

    /// <summary>A fresh X25519 key pair: (private 32 bytes, public 33 bytes with the 0x05 type byte).</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) GenerateKeyPair()
    {
        var privateKey = ECPrivateKey.Generate();
        return (privateKey.Serialize(), privateKey.GetPublicKey().Serialize());
    }

    /// <summary>Opens a ProvisionEnvelope's <paramref name="body"/> sent with the primary's key <paramref name="theirPublicKey"/>.</summary>
    /// <exception cref="ServiceProtocolException">Wrong key type or version, bad MAC, bad padding.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> ourPrivateKey, ReadOnlySpan<byte> theirPublicKey, ReadOnlySpan<byte> body)
    {
        if (theirPublicKey.Length != 33 || theirPublicKey[0] != DjbKeyType)
        {
            throw new ServiceProtocolException("provisioning: the envelope's public key is not a 33-byte Curve25519 key");
        }

        if (body.Length < 1 + IvLength + 16 + MacLength)
        {
            throw new ServiceProtocolException($"provisioning: body of {body.Length} bytes is too short");
        }

        if (body[0] != Version)
        {
            throw new ServiceProtocolException($"provisioning: unknown version {body[0]}");
        }

        var keys = DeriveKeys(ourPrivateKey, theirPublicKey);
        try
        {
            var signed = body[..^MacLength];
            Span<byte> mac = stackalloc byte[MacLength];
            HmacSha256Util.Compute(keys.AsSpan(32, 32), signed, mac);
            if (!CryptographicOperations.FixedTimeEquals(mac, body[^MacLength..]))
            {
                throw new ServiceProtocolException("provisioning: MAC mismatch (not for our key, or tampered with)");
            }

            try
            {
                return Aes256Cbc.Decrypt(keys.AsSpan(0, 32), body[1..(1 + IvLength)], body[(1 + IvLength)..^MacLength]);
            }
            catch (DecryptionFailedException e)
            {
                throw new ServiceProtocolException("provisioning: bad padding", e);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    /// <summary>The primary's side, for tests and for acting as a primary: encrypts to <paramref name="theirPublicKey"/>.</summary>
    public static (byte[] PublicKey, byte[] Body) Encrypt(ReadOnlySpan<byte> theirPublicKey, ReadOnlySpan<byte> plaintext)
    {
        var (ephemeralPrivate, ephemeralPublic) = GenerateKeyPair();
        var keys = DeriveKeys(ephemeralPrivate, theirPublicKey);
        try
        {
            var iv = RandomNumberGenerator.GetBytes(IvLength);
            var ciphertext = Aes256Cbc.Encrypt(keys.AsSpan(0, 32), iv, plaintext);
            var body = new byte[1 + IvLength + ciphertext.Length + MacLength];
            body[0] = Version;
            iv.CopyTo(body, 1);
            ciphertext.CopyTo(body, 1 + IvLength);
            HmacSha256Util.Compute(keys.AsSpan(32, 32), body.AsSpan(0, body.Length - MacLength), body.AsSpan(body.Length - MacLength));
            return (ephemeralPublic, body);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
            CryptographicOperations.ZeroMemory(ephemeralPrivate);
        }
    }

    private static byte[] DeriveKeys(ReadOnlySpan<byte> ourPrivateKey, ReadOnlySpan<byte> theirPublicKey)
    {
        if (ourPrivateKey.Length != 32 || theirPublicKey.Length != 33 || theirPublicKey[0] != DjbKeyType)
        {
            throw new ServiceProtocolException("provisioning: keys must be a 32-byte private and a 33-byte public Curve25519 key");
        }

        byte[]? shared = null;
        try
        {
            shared = ECPrivateKey.Deserialize(ourPrivateKey).CalculateAgreement(ECPublicKey.Deserialize(theirPublicKey));
            return Hkdf.DeriveSecrets(shared, [], Info, 64);
        }
        catch (InvalidKeyException e)
        {
            throw new ServiceProtocolException("provisioning: unusable key: " + e.Message, e);
        }
        finally
        {
            if (shared is not null)
            {
                CryptographicOperations.ZeroMemory(shared);
            }
        }
    }
}
