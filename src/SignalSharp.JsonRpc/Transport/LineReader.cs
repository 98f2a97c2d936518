using System.Buffers;

namespace SignalSharp.JsonRpc.Transport;

/// <summary>One input line without its terminator, or the news that a line was longer than allowed (and skipped).</summary>
public readonly record struct InputLine(ReadOnlyMemory<byte> Bytes, bool TooLong);

/// <summary>
/// Splits a byte stream at LF. A line over the limit is skipped up to its end and reported as too long; a last line
/// without a terminator still counts, as with a line reader on a closed pipe. Bytes another reader already took from
/// the stream (<c>alreadyRead</c>) come first.
/// </summary>
public sealed class LineReader(Stream stream, int maxLineBytes, ReadOnlyMemory<byte> alreadyRead = default)
{
    private readonly byte[] chunk = new byte[64 * 1024];
    private ReadOnlyMemory<byte> prefix = alreadyRead;
    private readonly ArrayBufferWriter<byte> current = new();
    private int chunkStart;
    private int chunkEnd;
    private bool tooLong;

    /// <summary>The next line, or null at the end of the stream.</summary>
    public async ValueTask<InputLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (!prefix.IsEmpty)
        {
            var newline = prefix.Span.IndexOf((byte)'\n');
            Append(newline < 0 ? prefix.Span : prefix.Span[..newline]);
            prefix = newline < 0 ? default : prefix[(newline + 1)..];
            if (newline >= 0)
            {
                return Complete();
            }
        }

        while (true)
        {
            if (chunkStart < chunkEnd)
            {
                var span = chunk.AsSpan(chunkStart, chunkEnd - chunkStart);
                var newline = span.IndexOf((byte)'\n');
                var take = newline < 0 ? span : span[..newline];
                Append(take);
                chunkStart += newline < 0 ? span.Length : newline + 1;
                if (newline >= 0)
                {
                    return Complete();
                }
            }

            chunkStart = 0;
            chunkEnd = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (chunkEnd == 0)
            {
                return current.WrittenCount > 0 || tooLong ? Complete() : null;
            }
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (tooLong)
        {
            return;
        }

        if (current.WrittenCount + bytes.Length > maxLineBytes)
        {
            tooLong = true;
            current.ResetWrittenCount();
            return;
        }

        current.Write(bytes);
    }

    private InputLine Complete()
    {
        var line = new InputLine(current.WrittenSpan.ToArray(), tooLong);
        current.ResetWrittenCount();
        tooLong = false;
        return line;
    }
}
