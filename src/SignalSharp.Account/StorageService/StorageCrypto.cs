using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SignalSharp.Account.StorageService;

/// <summary>
/// The storage service's key schedule and AEAD: storage key from the account's master key, one AES-256-GCM key per
/// manifest version, and per-item keys from the manifest's record IKM (or, for manifests written before it
/// existed, from the storage key and the item's id). Ciphertexts are <c>iv(12) ‖ ct ‖ tag(16)</c>.
/// </summary>
internal static class StorageCrypto
{
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const string ItemInfoPrefix = "20240801_SIGNAL_STORAGE_SERVICE_ITEM_";
    private const string MasterKeyInfo = "20240801_SIGNAL_SVR_MASTER_KEY";

    /// <summary>The account master key from the 64-character account entropy pool (what newer primaries provision).</summary>
    public static byte[] MasterKeyFromEntropyPool(string accountEntropyPool) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(accountEntropyPool), 32, [], Encoding.ASCII.GetBytes(MasterKeyInfo));

    public static byte[] StorageKey(ReadOnlySpan<byte> masterKey) =>
        HMACSHA256.HashData(masterKey, "Storage Service Encryption"u8);

    public static byte[] ManifestKey(ReadOnlySpan<byte> storageKey, ulong version) =>
        HMACSHA256.HashData(storageKey, Encoding.ASCII.GetBytes("Manifest_" + version.ToString(CultureInfo.InvariantCulture)));

    public static byte[] ItemKey(ReadOnlySpan<byte> storageKey, ReadOnlySpan<byte> recordIkm, ReadOnlySpan<byte> itemId)
    {
        if (recordIkm.IsEmpty)
        {
            return HMACSHA256.HashData(storageKey, Encoding.ASCII.GetBytes("Item_" + Convert.ToBase64String(itemId)));
        }

        byte[] info = [.. Encoding.ASCII.GetBytes(ItemInfoPrefix), .. itemId];
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, recordIkm.ToArray(), 32, [], info);
    }

    /// <exception cref="StorageDecryptionException">Too short, or the tag does not verify.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedBox, string what)
    {
        if (sealedBox.Length < NonceLength + TagLength)
        {
            throw new StorageDecryptionException(what);
        }

        var ciphertext = sealedBox[NonceLength..^TagLength];
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(sealedBox[..NonceLength], ciphertext, sealedBox[^TagLength..], plaintext);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new StorageDecryptionException(what, e);
        }

        return plaintext;
    }

    /// <summary>Seals <paramref name="plaintext"/> under a random nonce (the manifest and records this account writes back).</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext)
    {
        var box = new byte[NonceLength + plaintext.Length + TagLength];
        RandomNumberGenerator.Fill(box.AsSpan(0, NonceLength));
        using var aes = new AesGcm(key, TagLength);
        aes.Encrypt(box.AsSpan(0, NonceLength), plaintext, box.AsSpan(NonceLength, plaintext.Length), box.AsSpan(NonceLength + plaintext.Length));
        return box;
    }
}
