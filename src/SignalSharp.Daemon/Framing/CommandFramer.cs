using System.Buffers;
using System.Numerics;

namespace SignalSharp.Daemon.Framing;

internal enum FrameKind
{
    /// <summary>No complete frame in the buffer; read more bytes.</summary>
    NeedMoreData,

    /// <summary>A complete top-level object (relaxed JSON, structurally balanced).</summary>
    Command,

    /// <summary>Input that is not a (relaxed) JSON object; answer INVALID_JSON once.</summary>
    Invalid,

    /// <summary>An object grew beyond the size limit; answer and close, the stream cannot be resynchronised.</summary>
    TooLarge,
}

/// <summary>
/// Finds complete top-level JSON objects in a byte stream that arrives in arbitrary pieces. It runs a small
/// relaxed-JSON syntax machine (<see cref="RelaxedJsonSyntax"/>) over each object so that a command is complete the
/// moment its closing brace arrives and garbage is noticed at its first wrong byte. Scalars, escapes and literals are
/// checked later by the real JSON parser.
/// After garbage it resumes at the next line; when the fault sits on a later line of a multi-line object, it resumes
/// at the start of that line, so that a dangling "{" never swallows the command on the line after it.
/// Not thread-safe: one framer per connection.
/// </summary>
internal sealed class CommandFramer(long maxCommandSize, CommandBufferBudget? budget = null) : IDisposable
{
    private const int ShrinkAbove = 1 << 20;

    // Buffers up to this size come from and go back to the shared pool, so a quiet connection holds none.
    private const int PooledUpTo = 64 * 1024;

    // Inside a string only the closing quote, a backslash or a control character needs the state machine.
    private static readonly SearchValues<byte> DoubleQuotedStops = SearchValues.Create(StringStops((byte)'"'));
    private static readonly SearchValues<byte> SingleQuotedStops = SearchValues.Create(StringStops((byte)'\''));

    private byte[] small = [];
    private NativeBlock? big;          // the buffer while a command larger than ShrinkAbove arrives
    private long reserved;             // bytes of the budget that big holds
    private bool overBudget;           // the command in progress could not get a buffer within the budget
    private Memory<byte> buffer;       // small or big; its contents stay valid until the next GetReceiveBuffer
    private int start;   // first byte not yet consumed; while in an object, the object's first byte
    private int scan;    // next byte to examine
    private int end;     // one past the last byte received

    private Mode mode = Mode.Idle;
    private bool resyncQuietly;  // at a rewound line: skip it silently unless it starts an object
    private readonly RelaxedJsonSyntax syntax = new();
    private int lineStart;       // start of the current line inside the object, -1 on the object's first line

    private enum Mode
    {
        Idle,
        InObject,
        SkipLine,
        Broken,
    }

    /// <summary>True when the last returned command used a relaxed form (single quotes or unquoted names).</summary>
    public bool LastCommandIsRelaxed { get; private set; }

    /// <summary>Space to receive into; call <see cref="Advance"/> with the count received.</summary>
    public Memory<byte> GetReceiveBuffer(int sizeHint = 4096)
    {
        if (small.Length == 0)
        {
            small = ArrayPool<byte>.Shared.Rent(Math.Min(PooledUpTo, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(8192, sizeHint))));
        }

        if (buffer.IsEmpty)
        {
            buffer = small;
        }

        if (start == end && big is not null)
        {
            // A huge command is done with: do not hold its buffer for the rest of the connection.
            ReleaseBig();
            start = scan = end = 0;
            lineStart = -1;
        }

        if (buffer.Length - end < sizeHint && start > 0)
        {
            Compact();
        }

        if (buffer.Length - end < sizeHint)
        {
            // Powers of two, so a command's buffer (and its share of the budget) does not depend on how the bytes
            // happened to be split into reads.
            var size = (int)Math.Min(Array.MaxLength, (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max((long)buffer.Length * 2, (long)end + sizeHint)));
            // Growing reserves only the difference: holding the old buffer's share while asking for the whole new
            // one would refuse a command that fits, whenever two connections happened to grow at the same moment.
            if (size <= ShrinkAbove)
            {
                var bigger = size <= PooledUpTo ? ArrayPool<byte>.Shared.Rent(size) : new byte[size];
                buffer.Span[..end].CopyTo(bigger);
                ReturnSmall();
                small = bigger;
                buffer = bigger;
            }
            else if (budget is not null && !budget.TryReserve(size - reserved))
            {
                // The daemon-wide budget is spent: this command is refused as an oversized one would be.
                overBudget = true;
                ReleaseBig();
                start = scan = end = 0;
            }
            else
            {
                var block = new NativeBlock(size);
                buffer.Span[..end].CopyTo(block.GetSpan());
                reserved = 0;  // the old buffer's share is now part of the new one's
                ReleaseBig();
                big = block;
                reserved = budget is null ? 0 : size;
                buffer = block.Memory;
            }
        }

        return buffer[end..];
    }

    /// <summary>True when nothing is buffered: no command in progress and no byte left unread.</summary>
    public bool IsEmpty => start == end && mode == Mode.Idle && big is null && !overBudget;

    /// <summary>
    /// Between reads of an idle connection: gives the receive buffer back (a connection that waits for its next
    /// command holds no buffer; thousands of idle clients cost little). The next <see cref="GetReceiveBuffer"/>
    /// takes one again. Only call it once every command read so far is done with (their memory is the buffer's).
    /// </summary>
    public void ReleaseIdleBuffer()
    {
        if (!IsEmpty || small.Length == 0)
        {
            return;
        }

        ReturnSmall();
        small = [];
        buffer = default;
        start = scan = end = 0;
        lineStart = -1;
    }

    private void ReturnSmall()
    {
        if (small.Length is > 0 and <= PooledUpTo)
        {
            ArrayPool<byte>.Shared.Return(small);
        }
    }

    /// <summary>Frees the buffers (the native one of a big command, the pooled one); the framer may still be used after.</summary>
    public void Dispose()
    {
        ReleaseBig();
        ReturnSmall();
        small = [];
        buffer = default;
        start = scan = end = 0;
        mode = Mode.Idle;
    }

    private void ReleaseBig()
    {
        if (big is not null)
        {
            ((IDisposable)big).Dispose();
            big = null;
            ReturnSmall();
            small = ArrayPool<byte>.Shared.Rent(8192);
            budget?.Release(reserved);
            reserved = 0;
        }

        buffer = small;
    }

    public void Advance(int count) => end += count;

    /// <summary>The bytes received and not yet framed (after a command: everything behind it).</summary>
    public ReadOnlyMemory<byte> Unconsumed => buffer[start..end];

    /// <summary>The first byte that is not whitespace among the unconsumed bytes; null when there is none yet.</summary>
    public byte? FirstSignificantByte()
    {
        foreach (var b in buffer.Span[start..end])
        {
            if (!RelaxedJsonSyntax.IsWhitespace(b))
            {
                return b;
            }
        }

        return null;
    }

    /// <summary>
    /// The next frame. For <see cref="FrameKind.Command"/>, <paramref name="command"/> holds the object's bytes,
    /// valid until the next call; for <see cref="FrameKind.Invalid"/> and <see cref="FrameKind.TooLarge"/>,
    /// <paramref name="error"/> says why.
    /// </summary>
    public FrameKind TryRead(out ReadOnlyMemory<byte> command, out string? error)
    {
        command = default;
        error = null;
        if (overBudget)
        {
            overBudget = false;
            mode = Mode.Broken;
            error = $"too many large commands are being received at once (over {budget!.Limit} bytes across connections); closing the connection, try again later";
            return FrameKind.TooLarge;
        }

        while (true)
        {
            switch (mode)
            {
                case Mode.Broken:
                    return FrameKind.NeedMoreData;

                case Mode.SkipLine:
                {
                    var newline = buffer.Span[scan..end].IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        scan = start = end;
                        return FrameKind.NeedMoreData;
                    }

                    scan = start = scan + newline + 1;
                    mode = Mode.Idle;
                    resyncQuietly = false;
                    continue;
                }

                case Mode.Idle:
                {
                    var bytes = buffer.Span;
                    while (scan < end && RelaxedJsonSyntax.IsWhitespace(bytes[scan]))
                    {
                        if (bytes[scan] == '\n')
                        {
                            resyncQuietly = false;
                        }

                        scan++;
                    }

                    start = scan;
                    if (scan == end)
                    {
                        return FrameKind.NeedMoreData;
                    }

                    var b = bytes[scan];
                    if (b == '{')
                    {
                        BeginObject();
                        continue;
                    }

                    mode = Mode.SkipLine;
                    if (resyncQuietly)
                    {
                        continue;
                    }

                    error = $"not a JSON object: {Describe(b)} where '{{' was expected";
                    return FrameKind.Invalid;
                }

                case Mode.InObject:
                {
                    var result = ScanObject(out error);
                    if (result == FrameKind.Command)
                    {
                        command = buffer[start..scan];
                        LastCommandIsRelaxed = syntax.Relaxed;
                        start = scan;
                        mode = Mode.Idle;
                    }

                    return result;
                }
            }
        }
    }

    /// <summary>The peer closed its side: an object left open is answered INVALID_JSON once.</summary>
    public FrameKind Complete(out string? error)
    {
        error = null;
        if (mode != Mode.InObject)
        {
            return FrameKind.NeedMoreData;
        }

        mode = Mode.Idle;
        start = scan = end;
        error = "incomplete JSON object at the end of the input";
        return FrameKind.Invalid;
    }

    private void BeginObject()
    {
        mode = Mode.InObject;
        resyncQuietly = false;
        syntax.BeginObject();
        lineStart = -1;
        scan++;
    }

    private FrameKind ScanObject(out string? error)
    {
        error = null;
        var bytes = buffer.Span;
        while (scan < end)
        {
            if (scan - start >= maxCommandSize)
            {
                mode = Mode.Broken;
                error = $"command larger than the limit of {maxCommandSize} bytes; closing the connection";
                return FrameKind.TooLarge;
            }

            if (syntax.InPlainString)
            {
                // Skip the plain bytes of a string in bulk (base64 attachments are most of a big command).
                var limit = (int)Math.Min(end, start + maxCommandSize);
                var stop = bytes[scan..limit].IndexOfAny(syntax.Quote == '"' ? DoubleQuotedStops : SingleQuotedStops);
                if (stop < 0)
                {
                    scan = limit;
                    continue;
                }

                scan += stop;
            }

            var b = bytes[scan];
            var step = syntax.Step(b);
            if (step == StepResult.Reprocess)
            {
                continue;
            }

            if (step == StepResult.Error)
            {
                error = $"invalid JSON: unexpected {Describe(b)}";
                Resynchronise();
                return FrameKind.Invalid;
            }

            if (b == '\n' && !syntax.InString)
            {
                lineStart = scan + 1;
            }

            scan++;
            if (step == StepResult.Complete)
            {
                return FrameKind.Command;
            }
        }

        return FrameKind.NeedMoreData;
    }

    private void Resynchronise()
    {
        if (lineStart > start)
        {
            // The fault is on a later line than the object's start: that line may begin a fresh command.
            scan = start = lineStart;
            mode = Mode.Idle;
            resyncQuietly = true;
            return;
        }

        // The fault is on the object's first line: drop the rest of that line (the offending newline ends it).
        mode = Mode.SkipLine;
        start = scan;
    }

    private void Compact()
    {
        var shift = start;
        buffer.Span[start..end].CopyTo(buffer.Span);
        end -= shift;
        scan -= shift;
        if (lineStart >= 0)
        {
            lineStart -= shift;
        }

        start = 0;
    }

    private static byte[] StringStops(byte quoteChar)
    {
        var stops = new List<byte> { quoteChar, (byte)'\\' };
        for (var c = 0; c < 0x20; c++)
        {
            stops.Add((byte)c);
        }

        return [.. stops];
    }

    private static string Describe(byte b) =>
        b is >= 0x21 and < 0x7F ? $"'{(char)b}'" : $"byte 0x{b:X2}";
}
