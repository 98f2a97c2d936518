namespace SignalSharp.Service.Attachments;

/// <summary>
/// Signal's attachment size buckets: a plaintext of n bytes is zero-padded to max(541, ⌊1.05^⌈log₁.₀₅ n⌉⌋) before
/// encryption, so the CDN sees one of a few sizes per 5 % step instead of the exact file size.
/// </summary>
public static class AttachmentPadding
{
    private const long MinimumPaddedSize = 541;

    public static long PaddedSize(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size <= MinimumPaddedSize)
        {
            return MinimumPaddedSize;
        }

        var bucket = (long)Math.Floor(Math.Pow(1.05, Math.Ceiling(Math.Log(size) / Math.Log(1.05))));
        // Floating point can land a hair below an exact power; never pad to less than the input.
        return Math.Max(bucket, size);
    }

    /// <summary>Length of <c>iv ‖ AES-CBC(padded plaintext, PKCS7) ‖ hmac</c> for a plaintext of <paramref name="size"/> bytes.</summary>
    public static long CiphertextLength(long size) => AttachmentCipher.IvLength + ((PaddedSize(size) / 16) + 1) * 16 + AttachmentCipher.MacLength;
}
