using SignalSharp.Spqr.Primitives;
using SignalSharp.Spqr.Protobuf;

namespace SignalSharp.Spqr.State;

/// <summary>The <c>V1State</c> part of <see cref="StateCodec"/>: chunked wrapper, unchunked fields, encoders and decoders.</summary>
internal static class BraidStateCodec
{
    public static void WriteBraid(ProtoWriter w, BraidState s)
    {
        var chunked = w.BeginMessage();
        if (s.HasUnchunked)
        {
            var uc = w.BeginMessage();
            w.WriteUInt64IfSet(1, s.Epoch);
            if (s.Auth is { } auth)
            {
                var a = w.BeginMessage();
                w.WriteBytesIfSet(1, auth.RootKey);
                w.WriteBytesIfSet(2, auth.MacKey);
                w.EndMessage(2, a);
            }

            foreach (var (tag, field) in BraidLayout.UnchunkedFields(s.Kind))
            {
                w.WriteBytesIfSet(tag, BraidLayout.Get(s, field));
            }

            w.EndMessage(1, uc);
        }

        // Encoder and decoder tags are 2 and 3 in every kind that has both, so this order is ascending.
        var encoderTag = BraidLayout.EncoderTag(s.Kind);
        if (encoderTag != 0 && s.Encoder is { } e)
        {
            var m = w.BeginMessage();
            w.WriteUInt64IfSet(1, e.Index);
            foreach (var p in e.Points)
            {
                w.WriteBytes(2, p);
            }

            foreach (var p in e.Polys)
            {
                w.WriteBytes(3, p);
            }

            w.EndMessage(encoderTag, m);
        }

        var decoderTag = BraidLayout.DecoderTag(s.Kind);
        if (decoderTag != 0 && s.Decoder is { } d)
        {
            var m = w.BeginMessage();
            w.WriteUInt64IfSet(1, d.PointsNeeded);
            w.WriteUInt64IfSet(2, d.Polys);
            foreach (var p in d.Points)
            {
                w.WriteBytes(3, p);
            }

            w.WriteBoolIfSet(4, d.IsComplete);
            w.EndMessage(decoderTag, m);
        }

        w.EndMessage((int)s.Kind, chunked);
    }

    public static BraidState? ReadV1(ReadOnlySpan<byte> bytes)
    {
        BraidState? state = null;
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            if (r.Tag is >= 1 and <= 11)
            {
                state = ReadChunked((BraidKind)r.Tag, r.ReadBytes());
            }
            else
            {
                r.Skip();
            }
        }

        return state;
    }

    private static BraidState ReadChunked(BraidKind kind, ReadOnlySpan<byte> bytes)
    {
        var encoderTag = BraidLayout.EncoderTag(kind);
        var decoderTag = BraidLayout.DecoderTag(kind);
        BraidState? state = null;
        EncoderData? encoder = null;
        DecoderData? decoder = null;
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            if (r.Tag == 1)
            {
                state = ReadUnchunked(kind, r.ReadBytes());
            }
            else if (r.Tag == encoderTag)
            {
                encoder = ReadEncoder(r.ReadBytes());
            }
            else if (r.Tag == decoderTag)
            {
                decoder = ReadDecoder(r.ReadBytes());
            }
            else
            {
                r.Skip();
            }
        }

        state ??= new BraidState(kind, 0, null) { HasUnchunked = false };
        return state with { Encoder = encoder, Decoder = decoder };
    }

    private static BraidState ReadUnchunked(BraidKind kind, ReadOnlySpan<byte> bytes)
    {
        var fields = BraidLayout.UnchunkedFields(kind);
        ulong epoch = 0;
        Authenticator? auth = null;
        var values = new byte[fields.Length][];
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            if (r.Tag == 1)
            {
                epoch = r.ReadUInt64();
                continue;
            }

            if (r.Tag == 2)
            {
                auth = ReadAuthenticator(r.ReadBytes());
                continue;
            }

            var tag = r.Tag;
            var i = Array.FindIndex(fields, f => f.Tag == tag);
            if (i >= 0)
            {
                values[i] = r.ReadBytes().ToArray();
            }
            else
            {
                r.Skip();
            }
        }

        var state = new BraidState(kind, epoch, auth);
        for (var i = 0; i < fields.Length; i++)
        {
            state = BraidLayout.Set(state, fields[i].Field, values[i] ?? []);
        }

        return state;
    }

    private static Authenticator ReadAuthenticator(ReadOnlySpan<byte> bytes)
    {
        byte[] root = [], mac = [];
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case 1: root = r.ReadBytes().ToArray(); break;
                case 2: mac = r.ReadBytes().ToArray(); break;
                default: r.Skip(); break;
            }
        }

        return new Authenticator(root, mac);
    }

    private static EncoderData ReadEncoder(ReadOnlySpan<byte> bytes)
    {
        uint index = 0;
        var points = new List<byte[]>();
        var polys = new List<byte[]>();
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case 1: index = r.ReadUInt32(); break;
                case 2: points.Add(r.ReadBytes().ToArray()); break;
                case 3: polys.Add(r.ReadBytes().ToArray()); break;
                default: r.Skip(); break;
            }
        }

        return new EncoderData(index, points, polys);
    }

    private static DecoderData ReadDecoder(ReadOnlySpan<byte> bytes)
    {
        uint needed = 0, polys = 0;
        var complete = false;
        var points = new List<byte[]>();
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case 1: needed = r.ReadUInt32(); break;
                case 2: polys = r.ReadUInt32(); break;
                case 3: points.Add(r.ReadBytes().ToArray()); break;
                case 4: complete = r.ReadBool(); break;
                default: r.Skip(); break;
            }
        }

        return new DecoderData(needed, polys, points, complete);
    }
}
