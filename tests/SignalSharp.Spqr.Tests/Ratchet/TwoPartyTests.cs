using System.Security.Cryptography;
using SignalSharp.Spqr.State;
using SignalSharp.Spqr.Wire;

namespace SignalSharp.Spqr.Tests.Ratchet;

/// <summary>C# Alice and C# Bob over many epochs: every delivered message yields the sender's key on the receiver.</summary>
public sealed class TwoPartyTests
{
    private sealed class Party(byte[] state)
    {
        public byte[] State { get; set; } = state;
    }

    private sealed record InFlight(bool FromAlice, byte[] Message, byte[]? Key);

    [Theory]
    [InlineData(1, 0.0, 0.0)]
    [InlineData(2, 0.1, 0.0)]
    [InlineData(3, 0.1, 0.1)]
    [InlineData(4, 0.25, 0.05)]
    public void Keys_agree_under_loss_reordering_and_duplicates(int seed, double loss, double duplicates)
    {
        var random = new Random(seed);
        var authKey = RandomNumberGenerator.GetBytes(32);
        var alice = new Party(SpqrRatchet.InitialState(authKey, SpqrDirection.A2B));
        var bob = new Party(SpqrRatchet.InitialState(authKey, SpqrDirection.B2A));
        var inFlight = new List<InFlight>();
        var delivered = new List<InFlight>();
        int agreed = 0, rejectedDuplicates = 0;
        ulong maxEpoch = 0;

        for (var step = 0; step < 1500; step++)
        {
            var fromAlice = random.Next(2) == 0;
            var sender = fromAlice ? alice : bob;
            var sent = SpqrRatchet.Send(sender.State);
            sender.State = sent.State;
            maxEpoch = Math.Max(maxEpoch, SpqrMessage.Parse(sent.Message).Epoch);
            Assert.NotNull(sent.Key);
            if (random.NextDouble() >= loss)
            {
                inFlight.Add(new InFlight(fromAlice, sent.Message, sent.Key));
            }

            // Deliver a random handful of what is in flight, in random order.
            while (inFlight.Count > 0 && random.Next(3) != 0)
            {
                var m = inFlight[random.Next(Math.Min(inFlight.Count, 8))];
                inFlight.Remove(m);
                var receiver = m.FromAlice ? bob : alice;
                var result = SpqrRatchet.Recv(receiver.State, m.Message);
                receiver.State = result.State;
                Assert.Equal(m.Key, result.Key);
                delivered.Add(m);
                agreed++;
            }

            if (delivered.Count > 0 && random.NextDouble() < duplicates)
            {
                var dup = delivered[random.Next(delivered.Count)];
                var receiver = dup.FromAlice ? bob : alice;
                var before = receiver.State;
                var error = Assert.Throws<SpqrException>(() => SpqrRatchet.Recv(receiver.State, dup.Message));
                Assert.True(error.Error is SpqrError.KeyAlreadyRequested or SpqrError.EpochOutOfRange or SpqrError.KeyTrimmed, error.Message);
                Assert.Same(before, receiver.State);
                rejectedDuplicates++;
            }
        }

        Assert.True(maxEpoch >= 4, $"only reached epoch {maxEpoch}");
        Assert.True(agreed > 500);
        Assert.True(duplicates == 0 || rejectedDuplicates > 0);
    }

    [Fact]
    public void Lockstep_reaches_many_epochs_and_roles_alternate()
    {
        var authKey = RandomNumberGenerator.GetBytes(32);
        var alice = SpqrRatchet.InitialState(authKey, SpqrDirection.A2B);
        var bob = SpqrRatchet.InitialState(authKey, SpqrDirection.B2A);
        var aliceKinds = new HashSet<BraidKind>();
        var bobKinds = new HashSet<BraidKind>();
        for (var i = 0; i < 400; i++)
        {
            var a = SpqrRatchet.Send(alice);
            alice = a.State;
            var rb = SpqrRatchet.Recv(bob, a.Message);
            bob = rb.State;
            Assert.Equal(a.Key, rb.Key);
            var b = SpqrRatchet.Send(bob);
            bob = b.State;
            var ra = SpqrRatchet.Recv(alice, b.Message);
            alice = ra.State;
            Assert.Equal(b.Key, ra.Key);
            aliceKinds.Add(StateCodec.Decode(alice).V1!.Kind);
            bobKinds.Add(StateCodec.Decode(bob).V1!.Kind);
        }

        Assert.True(SpqrMessage.Parse(SpqrRatchet.Send(alice).Message).Epoch >= 8);
        // Each party has played both roles: sender of keys and sender of ciphertexts.
        BraidKind[] both = [BraidKind.KeysSampled, BraidKind.HeaderSent, BraidKind.NoHeaderReceived, BraidKind.Ct1Sampled, BraidKind.Ct2Sampled];
        Assert.Superset(new HashSet<BraidKind>(both), aliceKinds);
        Assert.Superset(new HashSet<BraidKind>(both), bobKinds);
    }

    [Fact]
    public void Send_is_a_function_of_state_and_rng()
    {
        var authKey = RandomNumberGenerator.GetBytes(32);
        var alice = SpqrRatchet.InitialState(authKey, SpqrDirection.A2B);
        var first = SpqrRatchet.Send(alice, new CountingRng());
        var second = SpqrRatchet.Send(alice, new CountingRng());
        Assert.Equal(first.State, second.State);
        Assert.Equal(first.Message, second.Message);
        Assert.Equal(first.Key, second.Key);
        Assert.NotEqual(first.State, SpqrRatchet.Send(alice).State);
    }

    /// <summary>A deterministic byte source for reproducible sends in tests.</summary>
    private sealed class CountingRng : RandomNumberGenerator
    {
        private byte next;

        public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

        public override void GetBytes(Span<byte> data)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = next++;
            }
        }
    }
}
