using System.Security.Cryptography;
using System.Text;

namespace SignalSharp.Account.Profiles;

/// <summary>
/// Encrypts and decrypts the text fields of a Signal profile: AES-256-GCM under the 32-byte profile key, a random
/// 12-byte nonce in front and the 16-byte tag behind. Before encryption each field is padded with zero bytes to
/// the smallest of its fixed sizes that fits (names 53 or 257, about 128, 254 or 512, the emoji 32), so that the
/// server learns only the size class; a name is given name, a zero byte, family name. Decryption drops trailing
/// zero bytes, so unpadded fields (the mock's own contacts write their names unpadded) read the same.
/// </summary>
internal static class ProfileFieldCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly int[] NameSizes = [53, 257];
    private static readonly int[] AboutSizes = [128, 254, 512];
    private static readonly int[] EmojiSizes = [32];

    public static byte[] EncryptName(ReadOnlySpan<byte> profileKey, string givenName, string? familyName)
    {
        var plain = string.IsNullOrEmpty(familyName) ? Encoding.UTF8.GetBytes(givenName) : [.. Encoding.UTF8.GetBytes(givenName), 0, .. Encoding.UTF8.GetBytes(familyName)];
        return Encrypt(profileKey, plain, NameSizes, "name");
    }

    public static byte[] EncryptAbout(ReadOnlySpan<byte> profileKey, string about) => Encrypt(profileKey, Encoding.UTF8.GetBytes(about), AboutSizes, "about");

    public static byte[] EncryptEmoji(ReadOnlySpan<byte> profileKey, string emoji) => Encrypt(profileKey, Encoding.UTF8.GetBytes(emoji), EmojiSizes, "about emoji");

    /// <summary>The given and family name; null when <paramref name="ciphertext"/> does not decrypt under the key.</summary>
    public static (string Given, string? Family)? DecryptName(ReadOnlySpan<byte> profileKey, ReadOnlySpan<byte> ciphertext)
    {
        if (Decrypt(profileKey, ciphertext) is not { } plain)
        {
            return null;
        }

        var split = Array.IndexOf(plain, (byte)0);
        return split < 0
            ? (Text(plain), null)
            : (Text(plain.AsSpan(0, split)), Text(plain.AsSpan(split + 1)) is { Length: > 0 } family ? family : null);
    }

    /// <summary>A decrypted text field (about, emoji) without its padding; null when it does not decrypt or is empty.</summary>
    public static string? DecryptText(ReadOnlySpan<byte> profileKey, ReadOnlySpan<byte> ciphertext) =>
        Decrypt(profileKey, ciphertext) is { } plain && Text(plain) is { Length: > 0 } text ? text : null;

    /// <summary>An avatar image sealed under the profile key as the text fields are (nonce ‖ ciphertext ‖ tag), without padding.</summary>
    public static byte[] EncryptAvatar(ReadOnlySpan<byte> profileKey, byte[] image) => Seal(profileKey, image);

    /// <summary>
    /// A downloaded avatar opened with the profile key, exactly as it was sealed (an image may end in zero bytes, so
    /// nothing is stripped); null when it does not decrypt under the key.
    /// </summary>
    public static byte[]? DecryptAvatar(ReadOnlySpan<byte> profileKey, ReadOnlySpan<byte> ciphertext) => Open(profileKey, ciphertext);

    private static byte[] Encrypt(ReadOnlySpan<byte> profileKey, byte[] plain, int[] sizes, string field)
    {
        var size = sizes.FirstOrDefault(s => s >= plain.Length);
        if (size == 0)
        {
            throw new ArgumentException($"the profile {field} is {plain.Length} bytes of UTF-8, more than the {sizes[^1]} a profile holds");
        }

        var padded = new byte[size];
        plain.CopyTo(padded, 0);
        return Seal(profileKey, padded);
    }

    private static byte[] Seal(ReadOnlySpan<byte> profileKey, byte[] padded)
    {
        var size = padded.Length;
        var output = new byte[NonceSize + size + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(profileKey, TagSize);
        aes.Encrypt(nonce, padded, output.AsSpan(NonceSize, size), output.AsSpan(NonceSize + size));
        return output;
    }

    private static byte[]? Decrypt(ReadOnlySpan<byte> profileKey, ReadOnlySpan<byte> ciphertext)
    {
        if (Open(profileKey, ciphertext) is not { } plain)
        {
            return null;
        }

        var end = plain.Length;
        while (end > 0 && plain[end - 1] == 0)
        {
            end--;
        }

        return plain[..end];
    }

    private static byte[]? Open(ReadOnlySpan<byte> profileKey, ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length < NonceSize + TagSize)
        {
            return null;
        }

        var length = ciphertext.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(profileKey, TagSize);
            aes.Decrypt(ciphertext[..NonceSize], ciphertext.Slice(NonceSize, length), ciphertext[(NonceSize + length)..], plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return plain;
    }

    // A field that is not valid UTF-8 reads with replacement characters rather than failing the whole profile.
    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
