using System.Security.Cryptography;

namespace SignalSharp.Service.Attachments;

/// <summary>
/// Signal's attachment encryption, streamed: <c>key = aesKey(32) ‖ macKey(32)</c>, the blob is
/// <c>iv(16) ‖ AES-256-CBC-PKCS7(padded plaintext) ‖ HMAC-SHA256(macKey, iv ‖ cbc)(32)</c> and the pointer's digest is
/// SHA-256 of the whole blob. Both directions work in fixed-size buffers, so memory does not grow with the file.
/// </summary>
/// <remarks>
/// System.Security.Cryptography is used directly (not SignalSharp.Crypto's one-shot Aes256Cbc) because only a
/// streaming transform keeps a 100 MiB attachment out of memory.
/// </remarks>
public static class AttachmentCipher
{
    public const int KeyLength = 64;
    public const int IvLength = 16;
    public const int MacLength = 32;
    public const int DigestLength = 32;
    private const int BufferSize = 64 * 1024;

    /// <summary>A fresh random attachment key (AES key ‖ MAC key).</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyLength);

    public static byte[] NewIv() => RandomNumberGenerator.GetBytes(IvLength);

    /// <summary>
    /// Reads exactly <paramref name="size"/> bytes of <paramref name="plaintext"/>, pads them with zeros to
    /// <see cref="AttachmentPadding.PaddedSize"/>, and writes the blob to <paramref name="output"/>
    /// (<see cref="AttachmentPadding.CiphertextLength"/> bytes). Returns the digest. The same key, IV and input always
    /// give the same blob, which is what lets an interrupted upload resume by re-encrypting.
    /// </summary>
    public static async Task<byte[]> EncryptAsync(
        Stream plaintext, long size, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> iv, Stream output, CancellationToken cancellationToken = default)
    {
        CheckKey(key.Span);
        if (iv.Length != IvLength)
        {
            throw new ArgumentException($"the IV must be {IvLength} bytes", nameof(iv));
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Span[32..]);
        var sink = new HashingWriteStream(output, sha, hmac);
        await sink.WriteAsync(iv, cancellationToken).ConfigureAwait(false);

        using var aes = Aes.Create();
        aes.Key = key.Span[..32].ToArray();
        using var encryptor = aes.CreateEncryptor(aes.Key, iv.ToArray());
        var buffer = new byte[BufferSize];
        var crypto = new CryptoStream(sink, encryptor, CryptoStreamMode.Write, leaveOpen: true);
        await using (crypto.ConfigureAwait(false))
        {
            long copied = 0;
            while (copied < size)
            {
                var read = await plaintext.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, size - copied)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new ArgumentException($"the plaintext ended after {copied} of {size} bytes", nameof(plaintext));
                }

                await crypto.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                copied += read;
            }

            Array.Clear(buffer);
            var padding = AttachmentPadding.PaddedSize(size) - size;
            while (padding > 0)
            {
                var chunk = (int)Math.Min(buffer.Length, padding);
                await crypto.WriteAsync(buffer.AsMemory(0, chunk), cancellationToken).ConfigureAwait(false);
                padding -= chunk;
            }

            await crypto.FlushFinalBlockAsync(cancellationToken).ConfigureAwait(false);
        }

        var mac = hmac.GetHashAndReset();
        await output.WriteAsync(mac, cancellationToken).ConfigureAwait(false);
        sha.AppendData(mac);
        return sha.GetHashAndReset();
    }

    /// <summary>
    /// Checks the blob's digest and MAC first (one pass), and only then decrypts it (a second pass) and writes the
    /// first <paramref name="size"/> plaintext bytes to <paramref name="output"/>. <paramref name="blob"/> must be
    /// seekable (a downloaded temporary file). Any mismatch is an <see cref="AttachmentIntegrityException"/>; nothing
    /// is written to <paramref name="output"/> unless the blob is authentic.
    /// </summary>
    public static async Task DecryptAsync(
        Stream blob, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> digest, long size, Stream output, CancellationToken cancellationToken = default)
    {
        CheckKey(key.Span);
        if (digest.Length != DigestLength)
        {
            throw new InvalidAttachmentPointerException($"the digest must be {DigestLength} bytes, not {digest.Length}");
        }

        if (!blob.CanSeek)
        {
            throw new ArgumentException("the blob must be seekable (verify, then decrypt)", nameof(blob));
        }

        var length = blob.Length - blob.Position;
        var start = blob.Position;
        var cbcLength = length - IvLength - MacLength;
        if (cbcLength < 16 || cbcLength % 16 != 0)
        {
            throw new AttachmentIntegrityException($"a blob of {length} bytes cannot be iv ‖ AES-CBC ‖ MAC");
        }

        if (size < 0 || size > cbcLength - 1)
        {
            throw new AttachmentIntegrityException($"the pointer's size {size} does not fit a blob of {length} bytes");
        }

        await VerifyAsync(blob, length, key[32..], digest, cancellationToken).ConfigureAwait(false);

        blob.Position = start;
        var iv = new byte[IvLength];
        await blob.ReadExactlyAsync(iv, cancellationToken).ConfigureAwait(false);
        using var aes = Aes.Create();
        aes.Key = key.Span[..32].ToArray();
        using var decryptor = aes.CreateDecryptor(aes.Key, iv);
        var body = new BoundedReadStream(blob, cbcLength);
        var crypto = new CryptoStream(body, decryptor, CryptoStreamMode.Read, leaveOpen: true);
        await using (crypto.ConfigureAwait(false))
        {
            var buffer = new byte[BufferSize];
            long written = 0;
            try
            {
                int read;
                while ((read = await crypto.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    var keep = (int)Math.Clamp(size - written, 0, read);
                    if (keep > 0)
                    {
                        await output.WriteAsync(buffer.AsMemory(0, keep), cancellationToken).ConfigureAwait(false);
                        written += keep;
                    }
                }
            }
            catch (CryptographicException e)
            {
                // Only reachable with the right MAC key but a wrong AES key: the MAC already vouched for the bytes.
                throw new AttachmentIntegrityException("bad PKCS7 padding after decryption: " + e.Message);
            }

            if (written != size)
            {
                throw new AttachmentIntegrityException($"the plaintext has {written} bytes, the pointer says {size}");
            }
        }
    }

    private static async Task VerifyAsync(Stream blob, long length, ReadOnlyMemory<byte> macKey, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, macKey.Span);
        var buffer = new byte[BufferSize];
        var macStart = length - MacLength;
        long position = 0;
        while (position < macStart)
        {
            var read = await blob.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, macStart - position)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new AttachmentIntegrityException("the blob ended early");
            }

            sha.AppendData(buffer, 0, read);
            hmac.AppendData(buffer, 0, read);
            position += read;
        }

        var theirMac = new byte[MacLength];
        await blob.ReadExactlyAsync(theirMac, cancellationToken).ConfigureAwait(false);
        sha.AppendData(theirMac);
        if (!CryptographicOperations.FixedTimeEquals(sha.GetHashAndReset(), digest.Span))
        {
            throw new AttachmentIntegrityException("digest mismatch");
        }

        if (!CryptographicOperations.FixedTimeEquals(hmac.GetHashAndReset(), theirMac))
        {
            throw new AttachmentIntegrityException("MAC mismatch");
        }
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new InvalidAttachmentPointerException($"the attachment key must be {KeyLength} bytes, not {key.Length}");
        }
    }

    /// <summary>The digest of the blob <paramref name="plaintext"/> encrypts to, written nowhere (for an upload the server already has whole).</summary>
    internal static Task<byte[]> DigestOnlyAsync(Stream plaintext, long start, long size, byte[] key, byte[] iv, CancellationToken cancellationToken)
    {
        plaintext.Position = start;
        return EncryptAsync(plaintext, size, key, iv, Stream.Null, cancellationToken);
    }
}
