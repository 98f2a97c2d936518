using SignalSharp.Spqr.Chains;
using SignalSharp.Spqr.Primitives;
using SignalSharp.Spqr.Protobuf;

namespace SignalSharp.Spqr.State;

/// <summary>
/// Byte-exact codec of <c>PqRatchetState</c> (spqr's <c>pq_ratchet.proto</c>) in prost's encoding: ascending tags, zero
/// scalars and empty singular bytes omitted, present sub-messages written even when empty, every repeated element written.
/// </summary>
internal static class StateCodec
{
    public static byte[] Encode(PqRatchetState state)
    {
        if (state is { Negotiation: null, Chain: null, HasV1: false })
        {
            return [];
        }

        var w = new ProtoWriter(8192);
        if (state.Negotiation is { } vn)
        {
            var m = w.BeginMessage();
            w.WriteBytesIfSet(1, vn.AuthKey);
            w.WriteEnumIfSet(2, vn.Direction);
            w.WriteEnumIfSet(3, vn.MinVersion);
            if (vn.ChainParams is { } p)
            {
                WriteChainParams(w, 4, p);
            }

            w.EndMessage(1, m);
        }

        if (state.Chain is { } chain)
        {
            WriteChain(w, 2, chain);
        }

        if (state.HasV1)
        {
            var m = w.BeginMessage();
            if (state.V1 is { } braid)
            {
                BraidStateCodec.WriteBraid(w, braid);
            }

            w.EndMessage(3, m);
        }

        return w.ToArray();
    }

    public static PqRatchetState Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return PqRatchetState.Empty;
        }

        VersionNegotiation? vn = null;
        Chain? chain = null;
        var hasV1 = false;
        BraidState? braid = null;
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case 1:
                    vn = ReadNegotiation(r.ReadBytes());
                    break;
                case 2:
                    chain = ReadChain(r.ReadBytes());
                    break;
                case 3:
                    hasV1 = true;
                    braid = BraidStateCodec.ReadV1(r.ReadBytes());
                    break;
                default:
                    r.Skip();
                    break;
            }
        }

        return new PqRatchetState(vn, chain, hasV1, braid);
    }

    private static void WriteChainParams(ProtoWriter w, int tag, ChainParams p)
    {
        var m = w.BeginMessage();
        w.WriteUInt64IfSet(1, p.StoredMaxJump);
        w.WriteUInt64IfSet(2, p.StoredMaxOooKeys);
        w.EndMessage(tag, m);
    }

    private static ChainParams ReadChainParams(ReadOnlySpan<byte> bytes)
    {
        uint maxJump = 0, maxOoo = 0;
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case 1: maxJump = r.ReadUInt32(); break;
                case 2: maxOoo = r.ReadUInt32(); break;
                default: r.Skip(); break;
            }
        }

        return new ChainParams(maxJump, maxOoo);
    }

    private static VersionNegotiation ReadNegotiation(ReadOnlySpan<byte> bytes)
    {
        byte[] authKey = [];
        int direction = 0, minVersion = 0;
        ChainParams? chainParams = null;
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case 1: authKey = r.ReadBytes().ToArray(); break;
                case 2: direction = r.ReadEnum(); break;
                case 3: minVersion = r.ReadEnum(); break;
                case 4: chainParams = ReadChainParams(r.ReadBytes()); break;
                default: r.Skip(); break;
            }
        }

        return new VersionNegotiation(authKey, direction, minVersion, chainParams);
    }

    private static void WriteChain(ProtoWriter w, int tag, Chain chain)
    {
        var m = w.BeginMessage();
        w.WriteEnumIfSet(1, (int)chain.Direction);
        w.WriteUInt64IfSet(2, chain.CurrentEpoch);
        foreach (var link in chain.Links)
        {
            var l = w.BeginMessage();
            WriteEpochDirection(w, 1, link.Send);
            WriteEpochDirection(w, 2, link.Recv);
            w.EndMessage(3, l);
        }

        w.WriteBytesIfSet(4, chain.NextRoot);
        w.WriteUInt64IfSet(5, chain.SendEpoch);
        WriteChainParams(w, 6, chain.Params);
        w.EndMessage(tag, m);
    }

    private static void WriteEpochDirection(ProtoWriter w, int tag, ChainEpochDirection d)
    {
        var m = w.BeginMessage();
        w.WriteUInt64IfSet(1, d.Ctr);
        w.WriteBytesIfSet(2, d.Next);
        w.WriteBytesIfSet(3, d.Prev.Bytes);
        w.EndMessage(tag, m);
    }

    private static Chain ReadChain(ReadOnlySpan<byte> bytes)
    {
        var direction = 0;
        ulong currentEpoch = 0, sendEpoch = 0;
        var links = new List<ChainLink>();
        byte[] nextRoot = [];
        ChainParams? chainParams = null;
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case 1: direction = r.ReadEnum(); break;
                case 2: currentEpoch = r.ReadUInt64(); break;
                case 3: links.Add(ReadLink(r.ReadBytes())); break;
                case 4: nextRoot = r.ReadBytes().ToArray(); break;
                case 5: sendEpoch = r.ReadUInt64(); break;
                case 6: chainParams = ReadChainParams(r.ReadBytes()); break;
                default: r.Skip(); break;
            }
        }

        return new Chain(ToDirection(direction), currentEpoch, sendEpoch, links, nextRoot, chainParams ?? throw ProtoReader.Fail());
    }

    private static ChainLink ReadLink(ReadOnlySpan<byte> bytes)
    {
        ChainEpochDirection? send = null, recv = null;
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case 1: send = ReadEpochDirection(r.ReadBytes()); break;
                case 2: recv = ReadEpochDirection(r.ReadBytes()); break;
                default: r.Skip(); break;
            }
        }

        return new ChainLink(send ?? throw ProtoReader.Fail(), recv ?? throw ProtoReader.Fail());
    }

    private static ChainEpochDirection ReadEpochDirection(ReadOnlySpan<byte> bytes)
    {
        uint ctr = 0;
        byte[] next = [];
        ReadOnlySpan<byte> prev = default;
        var r = new ProtoReader(bytes);
        while (r.Next())
        {
            switch (r.Tag)
            {
                case 1: ctr = r.ReadUInt32(); break;
                case 2: next = r.ReadBytes().ToArray(); break;
                case 3: prev = r.ReadBytes(); break;
                default: r.Skip(); break;
            }
        }

        if ((next.Length != 0 && next.Length != 32) || prev.Length % KeyHistory.RecordSize != 0)
        {
            throw ProtoReader.Fail();
        }

        return new ChainEpochDirection(ctr, next, new KeyHistory(prev));
    }

    public static SpqrDirection ToDirection(int value) => value switch
    {
        0 => SpqrDirection.A2B,
        1 => SpqrDirection.B2A,
        _ => throw ProtoReader.Fail(),
    };
}
