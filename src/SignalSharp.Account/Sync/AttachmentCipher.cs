using System.Security.Cryptography;

namespace SignalSharp.Account.Sync;

/// <summary>
/// Signal's attachment encryption: key = AES-256 key ‖ HMAC-SHA256 key (64 bytes); blob = IV ‖ AES-CBC/PKCS7
/// ciphertext ‖ HMAC(mac key, IV ‖ ciphertext); the pointer's digest is SHA-256 of the whole blob.
/// </summary>
internal static class AttachmentCipher
{
    private const int IvLength = 16;
    private const int MacLength = 32;

    /// <exception cref="AttachmentIntegrityException">Wrong key, MAC or digest, or a truncated blob.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> key, ReadOnlySpan<byte> expectedDigest)
    {
        if (key.Length != 64)
        {
            throw new AttachmentIntegrityException("the attachment key is not 64 bytes");
        }

        if (blob.Length < IvLength + 16 + MacLength)
        {
            throw new AttachmentIntegrityException("the attachment is too short");
        }

        if (!expectedDigest.IsEmpty && !CryptographicOperations.FixedTimeEquals(SHA256.HashData(blob), expectedDigest))
        {
            throw new AttachmentIntegrityException("the attachment digest does not match");
        }

        var body = blob[..^MacLength];
        var mac = HMACSHA256.HashData(key[32..], body);
        if (!CryptographicOperations.FixedTimeEquals(mac, blob[^MacLength..]))
        {
            throw new AttachmentIntegrityException("the attachment MAC does not match");
        }

        using var aes = Aes.Create();
        aes.Key = key[..32].ToArray();
        return aes.DecryptCbc(body[IvLength..], body[..IvLength], PaddingMode.PKCS7);
    }

    /// <summary>Encrypts with fresh keys; returns the 64-byte key, the blob and its digest.</summary>
    public static (byte[] Key, byte[] Blob, byte[] Digest) Encrypt(ReadOnlySpan<byte> plaintext)
    {
        var key = RandomNumberGenerator.GetBytes(64);
        var iv = RandomNumberGenerator.GetBytes(IvLength);
        using var aes = Aes.Create();
        aes.Key = key[..32];
        var ciphertext = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
        var blob = new byte[IvLength + ciphertext.Length + MacLength];
        iv.CopyTo(blob, 0);
        ciphertext.CopyTo(blob, IvLength);
        HMACSHA256.HashData(key.AsSpan(32), blob.AsSpan(0, IvLength + ciphertext.Length), blob.AsSpan(IvLength + ciphertext.Length));
        return (key, blob, SHA256.HashData(blob));
    }
}

public sealed class AttachmentIntegrityException(string message) : AccountLayerException(message);
