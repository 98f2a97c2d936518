namespace SignalSharp.Spqr.Wire;

/// <summary>Payload kinds of an SPQR V1 message; the numbers are the wire type byte.</summary>
internal enum PayloadType : byte
{
    None = 0,
    Hdr = 1,
    Ek = 2,
    EkCt1Ack = 3,
    Ct1Ack = 4,
    Ct1 = 5,
    Ct2 = 6,
}

/// <summary>One erasure-coded chunk: its index and 32 data bytes.</summary>
internal readonly record struct Chunk(ushort Index, byte[] Data)
{
    public const int Size = 32;
}

/// <summary>
/// The SPQR message carried in SignalMessage field 5 (spqr <c>Message::serialize</c>):
/// 0x01 ‖ varint epoch ‖ varint index ‖ type ‖ [varint chunk index ‖ 32 bytes]. Trailing bytes are ignored on parse.
/// </summary>
internal readonly record struct SpqrMessage(ulong Epoch, uint Index, PayloadType Type, Chunk? Chunk)
{
    public const byte Version1 = 1;

    private const int MaxVarintBytes = 10;

    public static bool HasChunk(PayloadType type) => type is PayloadType.Hdr or PayloadType.Ek or PayloadType.EkCt1Ack
        or PayloadType.Ct1 or PayloadType.Ct2;

    public byte[] Serialize()
    {
        Span<byte> buffer = stackalloc byte[1 + (3 * MaxVarintBytes) + 1 + Wire.Chunk.Size];
        var n = 0;
        buffer[n++] = Version1;
        n += WriteVarint(buffer[n..], Epoch);
        n += WriteVarint(buffer[n..], Index);
        buffer[n++] = (byte)Type;
        if (HasChunk(Type) && Chunk is { } chunk)
        {
            n += WriteVarint(buffer[n..], chunk.Index);
            chunk.Data.AsSpan(0, Wire.Chunk.Size).CopyTo(buffer[n..]);
            n += Wire.Chunk.Size;
        }

        return buffer[..n].ToArray();
    }

    public static SpqrMessage Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes[0] != Version1)
        {
            throw Fail();
        }

        var at = 1;
        var epoch = ReadVarint(bytes, ref at);
        if (epoch == 0)
        {
            throw Fail();
        }

        var index = ReadVarint(bytes, ref at);
        if (index > uint.MaxValue || at >= bytes.Length)
        {
            throw Fail();
        }

        var typeByte = bytes[at++];
        if (typeByte > (byte)PayloadType.Ct2)
        {
            throw Fail();
        }

        var type = (PayloadType)typeByte;
        Chunk? chunk = null;
        if (HasChunk(type))
        {
            var chunkIndex = ReadVarint(bytes, ref at);
            if (bytes.Length - at < Wire.Chunk.Size || chunkIndex > ushort.MaxValue)
            {
                throw Fail();
            }

            chunk = new Chunk((ushort)chunkIndex, bytes.Slice(at, Wire.Chunk.Size).ToArray());
        }

        return new SpqrMessage(epoch, (uint)index, type, chunk);
    }

    private static SpqrException Fail() => new(SpqrError.MsgDecode);

    private static int WriteVarint(Span<byte> into, ulong value)
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

    // Like spqr's decoder: at most ten bytes, bits beyond 64 silently dropped, a missing terminator is an error.
    private static ulong ReadVarint(ReadOnlySpan<byte> from, ref int at)
    {
        if (at >= from.Length)
        {
            throw Fail();
        }

        ulong value = 0;
        var max = Math.Min(MaxVarintBytes, from.Length - at);
        for (var i = 0; i < max; i++)
        {
            var b = from[at + i];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                at += i + 1;
                return value;
            }
        }

        throw Fail();
    }
}
