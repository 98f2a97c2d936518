using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Service.Stickers;

/// <summary>
/// How the sticker CDN's files are sealed: the 32-byte pack key is stretched by HKDF-SHA256 (no salt, info
/// "Sticker Pack") to an AES key and a MAC key, and each file (the manifest and every sticker image) is
/// <c>iv(16) ‖ AES-256-CBC-PKCS7(plaintext) ‖ HMAC-SHA256(macKey, iv ‖ cbc)(32)</c>: an attachment's layout without
/// padding or a digest, since the key is shared by everyone who has the pack's link.
/// </summary>
public static class StickerCipher
{
    public const int PackKeyLength = 32;
    public const int PackIdLength = 16;
    private const int IvLength = 16;
    private const int MacLength = 32;

    private static ReadOnlySpan<byte> Info => "Sticker Pack"u8;

    /// <summary>The AES key ‖ MAC key (64 bytes) the pack key stands for.</summary>
    public static byte[] DeriveKeys(ReadOnlySpan<byte> packKey)
    {
        if (packKey.Length != PackKeyLength)
        {
            throw new InvalidStickerPackException($"a pack key has {PackKeyLength} bytes, not {packKey.Length}");
        }

        return Hkdf.DeriveSecrets(packKey, [], Info, 64);
    }

    /// <summary>Checks the MAC, then decrypts; a wrong key or a damaged file is an <see cref="InvalidStickerPackException"/>.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> packKey)
    {
        var keys = DeriveKeys(packKey);
        var cbcLength = blob.Length - IvLength - MacLength;
        if (cbcLength < 16 || cbcLength % 16 != 0)
        {
            throw new InvalidStickerPackException($"{blob.Length} bytes cannot be iv ‖ AES-CBC ‖ MAC");
        }

        var mac = HMACSHA256.HashData(keys.AsSpan(32), blob[..^MacLength]);
        if (!CryptographicOperations.FixedTimeEquals(mac, blob[^MacLength..]))
        {
            throw new InvalidStickerPackException("the MAC does not match: wrong pack key, or a damaged file");
        }

        try
        {
            return Aes256Cbc.Decrypt(keys.AsSpan(0, 32), blob[..IvLength], blob.Slice(IvLength, cbcLength));
        }
        catch (DecryptionFailedException e)
        {
            throw new InvalidStickerPackException("bad padding after decryption: " + e.Message);
        }
    }

    /// <summary>Seals <paramref name="plaintext"/> as the sticker CDN holds it (what a pack's creator uploads).</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> packKey)
    {
        var keys = DeriveKeys(packKey);
        var iv = RandomNumberGenerator.GetBytes(IvLength);
        var cbc = Aes256Cbc.Encrypt(keys.AsSpan(0, 32), iv, plaintext);
        byte[] sealedBody = [.. iv, .. cbc];
        return [.. sealedBody, .. HMACSHA256.HashData(keys.AsSpan(32), sealedBody)];
    }
}
