using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>AES-256-CBC with PKCS#7 padding (message bodies of Signal and sender-key messages).</summary>
public static class Aes256Cbc
{
    public const int KeyLength = 32;
    public const int IvLength = 16;

    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext)
    {
        using var aes = Create(key, iv);
        return aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
    }

    /// <summary>Decrypts; a bad length or bad padding is a <see cref="DecryptionFailedException"/>.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.IsEmpty || ciphertext.Length % 16 != 0)
        {
            throw new DecryptionFailedException($"invalid CBC ciphertext length {ciphertext.Length}");
        }

        using var aes = Create(key, iv);
        try
        {
            return aes.DecryptCbc(ciphertext, iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException e)
        {
            throw new DecryptionFailedException("CBC decryption failed: bad padding", e);
        }
    }

    private static Aes Create(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"AES-256 needs a 32-byte key, got {key.Length}", nameof(key));
        }

        if (iv.Length != IvLength)
        {
            throw new ArgumentException($"CBC needs a 16-byte IV, got {iv.Length}", nameof(iv));
        }

        var aes = Aes.Create();
        aes.Key = key.ToArray();
        return aes;
    }
}
