using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using SignalSharp.Account.Proto.DeviceNames;
using SignalSharp.Crypto;

namespace SignalSharp.Account.Linking;

/// <summary>
/// The encrypted device name Signal's clients exchange (the <c>name</c> of a device link, the "Linked devices" list):
/// an ephemeral X25519 key agreed with the account's ACI identity key gives a master secret; the synthetic IV is
/// HMAC-SHA256(HMAC-SHA256(secret, "auth"), plaintext)[..16]; the key is HMAC-SHA256(HMAC-SHA256(secret, "cipher"),
/// IV); the text is AES-256-CTR under that key from a zero counter. Serialized as the DeviceName protobuf
/// {ephemeralPublic (33 bytes), syntheticIv, ciphertext}. Only holders of the identity's private key read it.
/// </summary>
public static class DeviceNameCipher
{
    private const int SyntheticIvLength = 16;

    /// <summary>The server keeps at most 225 bytes of name (its base64 form is checked on link).</summary>
    public const int MaxPlaintextBytes = 100;

    public static byte[] Encrypt(string name, ECPublicKey identityKey) => Encrypt(name, identityKey, ECKeyPair.Generate());

    /// <summary>With a given ephemeral key: for tests that compare against a fixed vector.</summary>
    public static byte[] Encrypt(string name, ECPublicKey identityKey, ECKeyPair ephemeral)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentNullException.ThrowIfNull(ephemeral);
        var plaintext = Encoding.UTF8.GetBytes(name);
        if (plaintext.Length > MaxPlaintextBytes)
        {
            throw new ArgumentException($"a device name is at most {MaxPlaintextBytes} bytes of UTF-8", nameof(name));
        }

        var secret = ephemeral.PrivateKey.CalculateAgreement(identityKey);
        var syntheticIv = SyntheticIv(secret, plaintext);
        var ciphertext = Aes256Ctr32.Process(CipherKey(secret, syntheticIv), new byte[Aes256Ctr32.NonceLength], plaintext);
        return new DeviceName
        {
            EphemeralPublic = ByteString.CopyFrom(ephemeral.PublicKey.Serialize()),
            SyntheticIv = ByteString.CopyFrom(syntheticIv),
            Ciphertext = ByteString.CopyFrom(ciphertext),
        }.ToByteArray();
    }

    /// <summary>Reads a name encrypted to <paramref name="identityPrivateKey"/>'s public half.</summary>
    /// <exception cref="CryptographicException">Not a DeviceName, or not for this identity (the synthetic IV does not match).</exception>
    public static string Decrypt(ReadOnlySpan<byte> encrypted, ECPrivateKey identityPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(identityPrivateKey);
        DeviceName message;
        try
        {
            message = DeviceName.Parser.ParseFrom(encrypted);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new CryptographicException("not a DeviceName", e);
        }

        if (message.SyntheticIv.Length != SyntheticIvLength || message.EphemeralPublic.Length != ECPublicKey.SerializedLength)
        {
            throw new CryptographicException("a DeviceName needs a 33-byte ephemeral key and a 16-byte synthetic IV");
        }

        var secret = identityPrivateKey.CalculateAgreement(ECPublicKey.Deserialize(message.EphemeralPublic.Span));
        var plaintext = Aes256Ctr32.Process(CipherKey(secret, message.SyntheticIv.Span), new byte[Aes256Ctr32.NonceLength], message.Ciphertext.Span);
        if (!CryptographicOperations.FixedTimeEquals(SyntheticIv(secret, plaintext), message.SyntheticIv.Span))
        {
            throw new CryptographicException("the device name does not decrypt under this identity");
        }

        return Encoding.UTF8.GetString(plaintext);
    }

    private static byte[] SyntheticIv(byte[] secret, ReadOnlySpan<byte> plaintext) =>
        HmacSha256Util.Compute(HmacSha256Util.Compute(secret, "auth"u8), plaintext)[..SyntheticIvLength];

    private static byte[] CipherKey(byte[] secret, ReadOnlySpan<byte> syntheticIv) =>
        HmacSha256Util.Compute(HmacSha256Util.Compute(secret, "cipher"u8), syntheticIv);
}
