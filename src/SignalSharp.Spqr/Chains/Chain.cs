using SignalSharp.Spqr.Primitives;

namespace SignalSharp.Spqr.Chains;

/// <summary>One epoch of the chain: its send and receive directions.</summary>
internal sealed record ChainLink(ChainEpochDirection Send, ChainEpochDirection Recv);

/// <summary>
/// The SPQR symmetric chain (spqr <c>chain.rs</c>): epoch 0 from the PQXDH auth key, one more epoch per braid secret,
/// per-direction KDF chains giving the message-key salts. Mutable; callers work on a freshly decoded copy.
/// </summary>
internal sealed class Chain
{
    // spqr keeps one epoch older than the send epoch so that late messages of that epoch still decrypt.
    private const int EpochsToKeepPriorToSendEpoch = 1;

    public Chain(SpqrDirection direction, ulong currentEpoch, ulong sendEpoch, List<ChainLink> links, byte[] nextRoot, ChainParams chainParams)
    {
        Direction = direction;
        CurrentEpoch = currentEpoch;
        SendEpoch = sendEpoch;
        Links = links;
        NextRoot = nextRoot;
        Params = chainParams;
    }

    public SpqrDirection Direction { get; }

    public ulong CurrentEpoch { get; private set; }

    public ulong SendEpoch { get; private set; }

    /// <summary>Links for epochs [CurrentEpoch - Count + 1 .. CurrentEpoch], oldest first.</summary>
    public List<ChainLink> Links { get; }

    public byte[] NextRoot { get; private set; }

    public ChainParams Params { get; }

    public static Chain Create(ReadOnlySpan<byte> authKey, SpqrDirection direction, ChainParams chainParams)
    {
        Span<byte> okm = stackalloc byte[96];
        SpqrKdf.Derive(default, authKey, SpqrKdf.ChainStart, okm);
        return new Chain(direction, 0, 0, [MakeLink(okm, direction)], okm[..32].ToArray(), chainParams);
    }

    public void AddEpoch(ulong epoch, ReadOnlySpan<byte> secret)
    {
        if (epoch != CurrentEpoch + 1)
        {
            // spqr asserts this; reaching it means the stored state is inconsistent.
            throw new SpqrException(SpqrError.StateDecode);
        }

        Span<byte> okm = stackalloc byte[96];
        SpqrKdf.Derive(NextRoot, secret, SpqrKdf.ChainAddEpoch, okm);
        CurrentEpoch = epoch;
        NextRoot = okm[..32].ToArray();
        Links.Add(MakeLink(okm, Direction));
    }

    public (uint Index, byte[] Key) SendKey(ulong epoch)
    {
        if (epoch < SendEpoch)
        {
            throw new SpqrException(SpqrError.SendKeyEpochDecreased, SendEpoch, epoch);
        }

        var index = EpochIndex(epoch);
        if (SendEpoch != epoch)
        {
            SendEpoch = epoch;
            while (index > EpochsToKeepPriorToSendEpoch)
            {
                Links.RemoveAt(0);
                index--;
            }

            for (var i = 0; i < index; i++)
            {
                Links[i].Send.ClearNext();
            }
        }

        return Links[index].Send.NextKey();
    }

    public byte[] RecvKey(ulong epoch, uint at) => Links[EpochIndex(epoch)].Recv.KeyAt(at, Params);

    private int EpochIndex(ulong epoch)
    {
        if (epoch > CurrentEpoch)
        {
            throw new SpqrException(SpqrError.EpochOutOfRange, epoch);
        }

        var back = CurrentEpoch - epoch;
        if (back >= (ulong)Links.Count)
        {
            throw new SpqrException(SpqrError.EpochOutOfRange, epoch);
        }

        return Links.Count - 1 - (int)back;
    }

    private static ChainLink MakeLink(ReadOnlySpan<byte> okm, SpqrDirection direction)
    {
        var a2b = okm.Slice(32, 32);
        var b2a = okm.Slice(64, 32);
        return direction == SpqrDirection.A2B
            ? new ChainLink(ChainEpochDirection.Start(a2b), ChainEpochDirection.Start(b2a))
            : new ChainLink(ChainEpochDirection.Start(b2a), ChainEpochDirection.Start(a2b));
    }
}
