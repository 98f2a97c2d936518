using System.Buffers.Binary;
using SignalSharp.Spqr.Primitives;

namespace SignalSharp.Spqr.Chains;

/// <summary>One direction (send or receive) of one chain epoch: a KDF chain with a counter and skipped-key history.</summary>
internal sealed class ChainEpochDirection
{
    public ChainEpochDirection(uint ctr, byte[] next, KeyHistory prev)
    {
        Ctr = ctr;
        Next = next;
        Prev = prev;
    }

    public uint Ctr { get; private set; }

    /// <summary>The next chain key (32 bytes), or empty once the send side of an old epoch has been erased.</summary>
    public byte[] Next { get; private set; }

    public KeyHistory Prev { get; }

    public static ChainEpochDirection Start(ReadOnlySpan<byte> seed) => new(0, seed.ToArray(), new KeyHistory(default));

    public void ClearNext() => Next = [];

    /// <summary>Advances the chain one step and returns (index, key); the first key has index 1.</summary>
    public (uint Index, byte[] Key) NextKey()
    {
        if (Next.Length != 32)
        {
            // spqr asserts here; a state with an erased send chain cannot produce keys.
            throw new SpqrException(SpqrError.StateDecode);
        }

        Ctr = unchecked(Ctr + 1);
        var label = SpqrKdf.ChainNext;
        var info = new byte[4 + label.Length];
        BinaryPrimitives.WriteUInt32BigEndian(info, Ctr);
        label.CopyTo(info.AsSpan(4));
        Span<byte> okm = stackalloc byte[64];
        SpqrKdf.Derive(default, Next, info, okm);
        Next = okm[..32].ToArray();
        return (Ctr, okm[32..].ToArray());
    }

    /// <summary>The receive key at index <paramref name="at"/>, from history or by advancing the chain.</summary>
    public byte[] KeyAt(uint at, ChainParams chainParams)
    {
        if (at == Ctr)
        {
            throw new SpqrException(SpqrError.KeyAlreadyRequested, at);
        }

        if (at < Ctr)
        {
            return Prev.Get(at, Ctr, chainParams);
        }

        if (at - Ctr > chainParams.MaxJump)
        {
            throw new SpqrException(SpqrError.KeyJump, Ctr, at);
        }

        var maxOoo = chainParams.MaxOooKeys;
        if (at > unchecked(Ctr + maxOoo))
        {
            Prev.Clear();
        }

        while (at > unchecked(Ctr + 1))
        {
            var (index, key) = NextKey();
            if (unchecked(index + maxOoo) >= at)
            {
                Prev.Add(index, key);
            }
        }

        Prev.Collect(Ctr, chainParams);
        return NextKey().Key;
    }
}
