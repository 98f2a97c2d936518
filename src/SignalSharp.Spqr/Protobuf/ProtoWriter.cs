namespace SignalSharp.Spqr.Protobuf;

/// <summary>
/// A minimal protobuf writer that reproduces prost's output: the caller writes fields in ascending tag order, scalars
/// equal to zero and empty singular bytes are skipped by the <c>*IfSet</c> methods, and nested messages are written by
/// <see cref="BeginMessage"/>/<see cref="EndMessage"/> (length prefix inserted afterwards, so no size pre-pass).
/// </summary>
internal sealed class ProtoWriter
{
    private byte[] buffer;
    private int length;

    public ProtoWriter(int capacity = 256)
    {
        buffer = new byte[capacity];
    }

    public byte[] ToArray() => buffer.AsSpan(0, length).ToArray();

    public void WriteUInt64IfSet(int tag, ulong value)
    {
        if (value != 0)
        {
            WriteTag(tag, 0);
            WriteVarint(value);
        }
    }

    public void WriteBoolIfSet(int tag, bool value) => WriteUInt64IfSet(tag, value ? 1UL : 0UL);

    /// <summary>An enum (int32): negative values are sign-extended to ten bytes, as protobuf requires.</summary>
    public void WriteEnumIfSet(int tag, int value) => WriteUInt64IfSet(tag, unchecked((ulong)(long)value));

    public void WriteBytesIfSet(int tag, ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty)
        {
            WriteBytes(tag, value);
        }
    }

    /// <summary>One element of a repeated bytes field: always written, even when empty.</summary>
    public void WriteBytes(int tag, ReadOnlySpan<byte> value)
    {
        WriteTag(tag, 2);
        WriteVarint((ulong)value.Length);
        Ensure(value.Length);
        value.CopyTo(buffer.AsSpan(length));
        length += value.Length;
    }

    /// <summary>Starts a present sub-message; returns the mark to hand to <see cref="EndMessage"/>.</summary>
    public int BeginMessage() => length;

    public void EndMessage(int tag, int mark)
    {
        var bodyLength = length - mark;
        Span<byte> prefix = stackalloc byte[16];
        var n = EncodeVarint(prefix, ((ulong)tag << 3) | 2);
        n += EncodeVarint(prefix[n..], (ulong)bodyLength);
        Ensure(n);
        buffer.AsSpan(mark, bodyLength).CopyTo(buffer.AsSpan(mark + n));
        prefix[..n].CopyTo(buffer.AsSpan(mark));
        length += n;
    }

    private void WriteTag(int tag, int wireType) => WriteVarint(((ulong)tag << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        Ensure(10);
        length += EncodeVarint(buffer.AsSpan(length), value);
    }

    private static int EncodeVarint(Span<byte> into, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            into[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        into[i++] = (byte)value;
        return i;
    }

    private void Ensure(int extra)
    {
        if (length + extra > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(length + extra, buffer.Length * 2));
        }
    }
}
