using System.Security.Cryptography;
using SignalSharp.Spqr.Chains;

namespace SignalSharp.Spqr.Tests.Ratchet;

public sealed class ChainTests
{
    private static readonly ChainParams Defaults = new(0, 0);

    [Fact]
    public void Receiver_gets_the_senders_keys_in_any_order()
    {
        var auth = RandomNumberGenerator.GetBytes(32);
        var alice = Chain.Create(auth, SpqrDirection.A2B, Defaults);
        var bob = Chain.Create(auth, SpqrDirection.B2A, Defaults);
        var sent = Enumerable.Range(0, 300).Select(_ => alice.SendKey(0)).ToList();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (uint)i), sent.Select(s => s.Index));

        var order = sent.OrderBy(_ => Random.Shared.Next()).ToList();
        foreach (var (index, key) in order)
        {
            Assert.Equal(key, bob.RecvKey(0, index));
        }

        Assert.Equal(0, bob.Links[0].Recv.Prev.Count);
    }

    [Fact]
    public void Both_directions_differ_and_epochs_change_keys()
    {
        var auth = RandomNumberGenerator.GetBytes(32);
        var alice = Chain.Create(auth, SpqrDirection.A2B, Defaults);
        var bob = Chain.Create(auth, SpqrDirection.B2A, Defaults);
        Assert.NotEqual(alice.SendKey(0).Key, bob.SendKey(0).Key);

        var secret = RandomNumberGenerator.GetBytes(32);
        alice.AddEpoch(1, secret);
        bob.AddEpoch(1, secret);
        var (index, key) = alice.SendKey(1);
        Assert.Equal(1u, index);
        Assert.Equal(key, bob.RecvKey(1, 1));
        Assert.Equal(alice.NextRoot, bob.NextRoot);
    }

    [Fact]
    public void Moving_the_send_epoch_keeps_one_older_epoch_and_erases_its_send_chain()
    {
        var chain = Chain.Create(RandomNumberGenerator.GetBytes(32), SpqrDirection.A2B, Defaults);
        for (ulong e = 1; e <= 3; e++)
        {
            chain.AddEpoch(e, RandomNumberGenerator.GetBytes(32));
        }

        chain.SendKey(3);
        Assert.Equal(2, chain.Links.Count);
        Assert.Empty(chain.Links[0].Send.Next);
        Assert.Equal(32, chain.Links[1].Send.Next.Length);
        var error = Assert.Throws<SpqrException>(() => chain.SendKey(2));
        Assert.Equal(SpqrError.SendKeyEpochDecreased, error.Error);
        Assert.Equal(SpqrError.EpochOutOfRange, Assert.Throws<SpqrException>(() => chain.RecvKey(1, 1)).Error);
        Assert.Equal(SpqrError.EpochOutOfRange, Assert.Throws<SpqrException>(() => chain.RecvKey(4, 1)).Error);
    }

    [Fact]
    public void History_is_garbage_collected_past_the_trim_size_and_old_keys_are_trimmed()
    {
        var auth = RandomNumberGenerator.GetBytes(32);
        var sender = Chain.Create(auth, SpqrDirection.A2B, Defaults);
        var keys = Enumerable.Range(0, 3000).Select(_ => sender.SendKey(0).Key).ToArray();
        var chain = Chain.Create(auth, SpqrDirection.B2A, Defaults);

        Assert.Equal(keys[1999], chain.RecvKey(0, 2000));
        Assert.Equal(1999, chain.Links[0].Recv.Prev.Count);
        Assert.Equal(keys[2999], chain.RecvKey(0, 3000));

        // 1999 + 999 records crossed the trim size (2201): everything below 2999 - 2000 was dropped.
        Assert.Equal(2000, chain.Links[0].Recv.Prev.Count);
        Assert.Equal(SpqrError.KeyTrimmed, Assert.Throws<SpqrException>(() => chain.RecvKey(0, 500)).Error);
        Assert.Equal(keys[999], chain.RecvKey(0, 1000));
        Assert.Equal(SpqrError.KeyAlreadyRequested, Assert.Throws<SpqrException>(() => chain.RecvKey(0, 1000)).Error);
        Assert.Equal(SpqrError.KeyAlreadyRequested, Assert.Throws<SpqrException>(() => chain.RecvKey(0, 3000)).Error);
    }

    [Fact]
    public void Jumps_beyond_max_jump_are_refused_but_a_self_session_limit_allows_them()
    {
        var auth = RandomNumberGenerator.GetBytes(32);
        var chain = Chain.Create(auth, SpqrDirection.B2A, Defaults);
        var error = Assert.Throws<SpqrException>(() => chain.RecvKey(0, 25_001));
        Assert.Equal(SpqrError.KeyJump, error.Error);
        Assert.Equal(25_001UL, error.Value2);
        Assert.Equal(32, chain.RecvKey(0, 25_000).Length);

        var self = Chain.Create(auth, SpqrDirection.B2A, ChainParams.FromLimits(uint.MaxValue, 2000));
        Assert.Equal(32, self.RecvKey(0, 25_001).Length);
    }

    [Fact]
    public void Swap_remove_moves_the_last_record_into_the_freed_slot()
    {
        var history = new KeyHistory(default);
        for (uint i = 1; i <= 4; i++)
        {
            history.Add(i, Enumerable.Repeat((byte)i, 32).ToArray());
        }

        Assert.Equal(Enumerable.Repeat((byte)2, 32), history.Get(2, 5, Defaults));
        var order = Enumerable.Range(0, history.Count).Select(r => history.Bytes[(r * 36) + 3]).ToArray();
        Assert.Equal(new byte[] { 1, 4, 3 }, order);
    }
}
