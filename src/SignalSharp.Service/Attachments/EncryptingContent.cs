using System.Net;
using System.Net.Http;

namespace SignalSharp.Service.Attachments;

/// <summary>
/// An HTTP body that encrypts the plaintext while it is sent, so the blob never exists in memory. Resuming at
/// <c>skip</c> re-encrypts from the start (same key and IV give the same bytes) and drops what the server already has.
/// </summary>
internal sealed class EncryptingContent(Stream plaintext, long start, long size, byte[] key, byte[] iv, long skip) : HttpContent
{
    /// <summary>The blob's digest, known once the body has been sent in full.</summary>
    public byte[]? Digest { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (plaintext.CanSeek)
        {
            plaintext.Position = start;
        }

        var target = skip > 0 ? new SkippingWriteStream(stream, skip) : stream;
        Digest = await AttachmentCipher.EncryptAsync(plaintext, size, key, iv, target, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = AttachmentPadding.CiphertextLength(size) - skip;
        return true;
    }
}

/// <summary>Discards the first <c>skip</c> bytes written, then forwards the rest.</summary>
internal sealed class SkippingWriteStream(Stream inner, long skip) : Stream
{
    private long toSkip = skip;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var dropped = (int)Math.Min(toSkip, buffer.Length);
        toSkip -= dropped;
        if (dropped < buffer.Length)
        {
            inner.Write(buffer[dropped..]);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var dropped = (int)Math.Min(toSkip, buffer.Length);
        toSkip -= dropped;
        return dropped < buffer.Length ? inner.WriteAsync(buffer[dropped..], cancellationToken) : ValueTask.CompletedTask;
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
