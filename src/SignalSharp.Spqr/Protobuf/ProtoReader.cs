namespace SignalSharp.Spqr.Protobuf;

/// <summary>
/// A minimal protobuf reader for the stored SPQR state: walks fields, skips unknown ones (as prost does) and throws
/// <see cref="SpqrException"/> with <see cref="SpqrError.StateDecode"/> on malformed input.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> data;
    private int position;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
        position = 0;
    }

    public int Tag { get; private set; }

    public int WireType { get; private set; }

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool Next()
    {
        if (position >= data.Length)
        {
            return false;
        }

        var key = ReadVarint();
        if (key > uint.MaxValue || (key >> 3) == 0)
        {
            throw Fail();
        }

        Tag = (int)(key >> 3);
        WireType = (int)(key & 7);
        return true;
    }

    public ulong ReadUInt64()
    {
        Expect(0);
        return ReadVarint();
    }

    public uint ReadUInt32() => unchecked((uint)ReadUInt64());

    public int ReadEnum() => unchecked((int)ReadUInt64());

    public bool ReadBool() => ReadUInt64() != 0;

    public ReadOnlySpan<byte> ReadBytes()
    {
        Expect(2);
        var len = ReadVarint();
        if (len > (ulong)(data.Length - position))
        {
            throw Fail();
        }

        var slice = data.Slice(position, (int)len);
        position += (int)len;
        return slice;
    }

    public void Skip()
    {
        switch (WireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Advance(8);
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                Advance(4);
                break;
            default:
                throw Fail();
        }
    }

    public static SpqrException Fail() => new(SpqrError.StateDecode);

    private void Expect(int wireType)
    {
        if (WireType != wireType)
        {
            throw Fail();
        }
    }

    private void Advance(int n)
    {
        if (data.Length - position < n)
        {
            throw Fail();
        }

        position += n;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (position >= data.Length)
            {
                throw Fail();
            }

            var b = data[position++];
            if (shift == 63 && b > 1)
            {
                throw Fail();
            }

            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Fail();
    }
}
