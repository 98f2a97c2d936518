using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>AES-256-GCM with a 12-byte nonce and a 16-byte tag appended to the ciphertext (BCL <see cref="AesGcm"/>).</summary>
public static class Aes256Gcm
{
    public const int KeyLength = 32;
    public const int NonceLength = 12;
    public const int TagLength = 16;

    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[plaintext.Length + TagLength];
        using var gcm = new AesGcm(key, TagLength);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), associatedData);
        return output;
    }

    /// <summary>Decrypts ciphertext‖tag; a tag mismatch is a <see cref="DecryptionFailedException"/>.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData)
    {
        if (ciphertextAndTag.Length < TagLength)
        {
            throw new DecryptionFailedException("GCM ciphertext shorter than its tag");
        }

        var length = ciphertextAndTag.Length - TagLength;
        var plaintext = new byte[length];
        using var gcm = new AesGcm(key, TagLength);
        try
        {
            gcm.Decrypt(nonce, ciphertextAndTag[..length], ciphertextAndTag[length..], plaintext, associatedData);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new DecryptionFailedException("GCM tag mismatch", e);
        }
    }
}
