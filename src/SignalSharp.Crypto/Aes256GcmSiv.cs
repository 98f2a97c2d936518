using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace SignalSharp.Crypto;

/// <summary>
/// AES-256-GCM-SIV (RFC 8452) with a 12-byte nonce and the 16-byte tag appended, on BouncyCastle's
/// <see cref="GcmSivBlockCipher"/> (neither the BCL nor libsodium has it). Used by sealed sender v2 and group blobs.
/// </summary>
public static class Aes256GcmSiv
{
    public const int KeyLength = 32;
    public const int NonceLength = 12;
    public const int TagLength = 16;

    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var cipher = Create(forEncryption: true, key, nonce, associatedData);
        var output = new byte[cipher.GetOutputSize(plaintext.Length)];
        var written = cipher.ProcessBytes(plaintext, output);
        cipher.DoFinal(output.AsSpan(written));
        return output;
    }

    /// <summary>Decrypts ciphertext‖tag; a tag mismatch is a <see cref="DecryptionFailedException"/>.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData)
    {
        if (ciphertextAndTag.Length < TagLength)
        {
            throw new DecryptionFailedException("GCM-SIV ciphertext shorter than its tag");
        }

        var cipher = Create(forEncryption: false, key, nonce, associatedData);
        var output = new byte[cipher.GetOutputSize(ciphertextAndTag.Length)];
        try
        {
            var written = cipher.ProcessBytes(ciphertextAndTag, output);
            written += cipher.DoFinal(output.AsSpan(written));
            return written == output.Length ? output : output[..written];
        }
        catch (InvalidCipherTextException e)
        {
            throw new DecryptionFailedException("GCM-SIV tag mismatch", e);
        }
    }

    private static GcmSivBlockCipher Create(bool forEncryption, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"AES-256-GCM-SIV needs a 32-byte key, got {key.Length}", nameof(key));
        }

        if (nonce.Length != NonceLength)
        {
            throw new ArgumentException($"AES-256-GCM-SIV needs a 12-byte nonce, got {nonce.Length}", nameof(nonce));
        }

        var cipher = new GcmSivBlockCipher();
        cipher.Init(forEncryption, new AeadParameters(new KeyParameter(key), TagLength * 8, nonce.ToArray(), associatedData.ToArray()));
        return cipher;
    }
}
