using System.Security.Cryptography;
using SignalSharp.Service.Attachments;

namespace SignalSharp.Service.Tests.Attachments;

/// <summary>The cipher on its own: round trips, exact lengths, and every kind of tampering as a typed error.</summary>
public sealed class AttachmentCipherTests
{
    internal static async Task<(byte[] Blob, byte[] Key, byte[] Digest)> EncryptAsync(byte[] plaintext)
    {
        var key = AttachmentCipher.NewKey();
        using var output = new MemoryStream();
        var digest = await AttachmentCipher.EncryptAsync(new MemoryStream(plaintext), plaintext.Length, key, AttachmentCipher.NewIv(), output);
        return (output.ToArray(), key, digest);
    }

    internal static async Task<byte[]> DecryptAsync(byte[] blob, byte[] key, byte[] digest, long size)
    {
        using var output = new MemoryStream();
        await AttachmentCipher.DecryptAsync(new MemoryStream(blob), key, digest, size, output);
        return output.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(540)]
    [InlineData(541)]
    [InlineData(542)]
    [InlineData(70_001)]
    public async Task Round_trip_gives_back_the_bytes_in_a_blob_of_the_predicted_length(int size)
    {
        var plaintext = RandomNumberGenerator.GetBytes(size);
        var (blob, key, digest) = await EncryptAsync(plaintext);

        Assert.Equal(AttachmentPadding.CiphertextLength(size), blob.Length);
        Assert.Equal(SHA256.HashData(blob), digest);
        Assert.Equal(HMACSHA256.HashData(key.AsSpan(32), blob.AsSpan(0, blob.Length - 32)), blob[^32..]);
        Assert.Equal(plaintext, await DecryptAsync(blob, key, digest, size));
    }

    [Fact]
    public async Task The_padding_is_zeros_up_to_the_bucket()
    {
        var plaintext = RandomNumberGenerator.GetBytes(1000);
        var (blob, key, _) = await EncryptAsync(plaintext);
        var padded = SignalSharp.Crypto.Aes256Cbc.Decrypt(key.AsSpan(0, 32), blob.AsSpan(0, 16), blob.AsSpan(16, blob.Length - 48));

        Assert.Equal(AttachmentPadding.PaddedSize(1000), padded.Length);
        Assert.Equal(plaintext, padded[..1000]);
        Assert.All(padded[1000..], b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(600)]
    [InlineData(-1)]
    public async Task Any_flipped_byte_is_rejected_and_nothing_is_written(int position)
    {
        var (blob, key, digest) = await EncryptAsync(RandomNumberGenerator.GetBytes(700));
        blob[position < 0 ? blob.Length - 1 : position] ^= 0x01;
        using var output = new MemoryStream();

        var error = await Assert.ThrowsAsync<AttachmentIntegrityException>(
            () => AttachmentCipher.DecryptAsync(new MemoryStream(blob), key, digest, 700, output));
        Assert.Equal("digest mismatch", error.Reason);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task A_blob_that_matches_its_digest_but_not_the_mac_key_is_rejected()
    {
        var (blob, key, digest) = await EncryptAsync(RandomNumberGenerator.GetBytes(100));
        key[40] ^= 0x80;

        var error = await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(blob, key, digest, 100));
        Assert.Equal("MAC mismatch", error.Reason);
    }

    [Fact]
    public async Task Truncated_blobs_and_impossible_sizes_are_integrity_errors()
    {
        var (blob, key, digest) = await EncryptAsync(RandomNumberGenerator.GetBytes(100));

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(blob[..^1], key, digest, 100));
        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(blob[..40], key, digest, 1));
        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => DecryptAsync(blob, key, digest, 10_000));
        await Assert.ThrowsAsync<InvalidAttachmentPointerException>(() => DecryptAsync(blob, key[..32], digest, 100));
        await Assert.ThrowsAsync<InvalidAttachmentPointerException>(() => DecryptAsync(blob, key, digest[..16], 100));
    }

    [Fact]
    public async Task A_short_plaintext_stream_is_a_usage_error_not_a_silent_short_blob()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => AttachmentCipher.EncryptAsync(
            new MemoryStream(new byte[10]), 11, AttachmentCipher.NewKey(), AttachmentCipher.NewIv(), new MemoryStream()));
    }

    [Fact]
    public async Task Same_key_and_iv_give_the_same_blob_which_lets_an_upload_resume_by_reencrypting()
    {
        var plaintext = RandomNumberGenerator.GetBytes(5000);
        var key = AttachmentCipher.NewKey();
        var iv = AttachmentCipher.NewIv();
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        var d1 = await AttachmentCipher.EncryptAsync(new MemoryStream(plaintext), plaintext.Length, key, iv, first);
        var d2 = await AttachmentCipher.EncryptAsync(new MemoryStream(plaintext), plaintext.Length, key, iv, new SkippingWriteStream(second, 1234));

        Assert.Equal(d1, d2);
        Assert.Equal(first.ToArray()[1234..], second.ToArray());
    }

    [Theory]
    [InlineData(0, 541)]
    [InlineData(1, 541)]
    [InlineData(541, 541)]
    public void Padding_has_a_floor_of_541(long size, long padded) => Assert.Equal(padded, AttachmentPadding.PaddedSize(size));

    [Fact]
    public void Padding_never_shrinks_and_adds_at_most_five_percent_above_the_floor()
    {
        long previous = 0;
        for (long size = 1; size < 200_000_000; size = size * 13 / 10 + 7)
        {
            var padded = AttachmentPadding.PaddedSize(size);
            Assert.True(padded >= size && padded >= previous);
            Assert.True(size <= 541 || padded <= size * 1.05 + 1, $"{size} → {padded}");
            previous = padded;
        }
    }
}
