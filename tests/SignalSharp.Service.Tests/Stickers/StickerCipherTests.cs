using System.Security.Cryptography;
using SignalSharp.Service.Stickers;

namespace SignalSharp.Service.Tests.Stickers;

/// <summary>The sticker CDN's sealing: a manifest sealed by another implementation opens, and bad input is a typed error.</summary>
public sealed class StickerCipherTests
{
    private static readonly byte[] PackKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    /// <summary>
    /// A manifest (title "Cats", author "Alice", sticker 1 "😺") sealed by Node's crypto module (HKDF-SHA256 with info
    /// "Sticker Pack", AES-256-CBC with the IV a0..af, HMAC-SHA256), not by this code.
    /// </summary>
    private const string NodeSealedManifest =
        "oKGio6SlpqeoqaqrrK2ur2cHd+FLRJjJ2sqhH36kfEbfVWaj5pCTolxG3g1Dj7asvARx/bm6Jw77l4iyYyOD+mA/LNbZtb8f6YlWeUSuKrs=";

    [Fact]
    public void A_manifest_sealed_elsewhere_opens_with_its_pack_key()
    {
        var manifest = StickerManifest.Open(Convert.FromBase64String(NodeSealedManifest), PackKey);

        Assert.Equal("Cats", manifest.Title);
        Assert.Equal("Alice", manifest.Author);
        Assert.Null(manifest.Cover);
        Assert.Equal([new StickerInfo(1, "😺", null)], manifest.Stickers);
    }

    [Fact]
    public void A_manifest_sealed_here_opens_again()
    {
        var original = new StickerManifest("Dogs", "Bob", new StickerInfo(0, "🐶", "image/webp"), [new StickerInfo(0, "🐶", "image/webp"), new StickerInfo(1, null, null)]);
        var reopened = StickerManifest.Open(StickerCipher.Encrypt(original.ToBytes(), PackKey), PackKey);

        Assert.Equal(original.Title, reopened.Title);
        Assert.Equal(original.Cover, reopened.Cover);
        Assert.Equal(original.Stickers, reopened.Stickers);
    }

    [Fact]
    public void The_wrong_key_is_refused_by_the_mac()
    {
        var otherKey = RandomNumberGenerator.GetBytes(32);
        var e = Assert.Throws<InvalidStickerPackException>(() => StickerManifest.Open(Convert.FromBase64String(NodeSealedManifest), otherKey));
        Assert.Contains("MAC", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(47)]
    [InlineData(63)]
    [InlineData(65)]
    public void A_blob_of_an_impossible_length_is_refused(int length)
    {
        Assert.Throws<InvalidStickerPackException>(() => StickerCipher.Decrypt(new byte[length], PackKey));
    }

    [Fact]
    public void A_flipped_byte_is_refused()
    {
        var blob = Convert.FromBase64String(NodeSealedManifest);
        blob[20] ^= 1;
        Assert.Throws<InvalidStickerPackException>(() => StickerCipher.Decrypt(blob, PackKey));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(33)]
    public void A_pack_key_that_is_not_32_bytes_is_refused(int length)
    {
        Assert.Throws<InvalidStickerPackException>(() => StickerCipher.DeriveKeys(new byte[length]));
    }

    [Fact]
    public void Sealed_bytes_that_are_no_manifest_are_refused()
    {
        byte[] notProtobuf = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        var e = Assert.Throws<InvalidStickerPackException>(() => StickerManifest.Open(StickerCipher.Encrypt(notProtobuf, PackKey), PackKey));
        Assert.Contains("not a sticker pack", e.Message, StringComparison.Ordinal);
    }
}
