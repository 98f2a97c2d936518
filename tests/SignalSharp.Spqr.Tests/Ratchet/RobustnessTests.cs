using System.Security.Cryptography;

namespace SignalSharp.Spqr.Tests.Ratchet;

/// <summary>
/// Corrupted states and messages must fail with <see cref="SpqrException"/> (which the session maps to an invalid
/// message) or succeed; never with another exception type that would escape the session layer.
/// </summary>
public sealed class RobustnessTests
{
    [Fact]
    public void Corrupted_inputs_only_ever_raise_spqr_exceptions()
    {
        var random = new Random(99);
        var authKey = RandomNumberGenerator.GetBytes(32);
        var alice = SpqrRatchet.InitialState(authKey, SpqrDirection.A2B);
        var bob = SpqrRatchet.InitialState(authKey, SpqrDirection.B2A);
        var samples = new List<(byte[] State, byte[] Message)>();
        for (var i = 0; i < 180; i++)
        {
            var a = SpqrRatchet.Send(alice);
            samples.Add((bob, a.Message));
            alice = a.State;
            bob = SpqrRatchet.Recv(bob, a.Message).State;
            var b = SpqrRatchet.Send(bob);
            samples.Add((alice, b.Message));
            bob = b.State;
            alice = SpqrRatchet.Recv(alice, b.Message).State;
        }

        var failures = 0;
        foreach (var (state, message) in samples.Where((_, i) => i % 3 == 0))
        {
            for (var trial = 0; trial < 6; trial++)
            {
                var badState = Corrupt(state, random);
                var badMessage = Corrupt(message, random);
                failures += Outcome(() => SpqrRatchet.Recv(badState, message));
                failures += Outcome(() => SpqrRatchet.Recv(state, badMessage));
                failures += Outcome(() => SpqrRatchet.Send(badState));
            }
        }

        Assert.True(failures > 0, "corruption was never detected");
    }

    [Theory]
    [InlineData(0xFF)]
    [InlineData(0x00)]
    public void A_garbage_decapsulation_key_ends_in_a_mac_failure(int fill)
    {
        var authKey = RandomNumberGenerator.GetBytes(32);
        var alice = SpqrRatchet.InitialState(authKey, SpqrDirection.A2B);
        var bob = SpqrRatchet.InitialState(authKey, SpqrDirection.B2A);
        for (var i = 0; i < 200; i++)
        {
            var a = SpqrRatchet.Send(alice);
            alice = a.State;
            bob = SpqrRatchet.Recv(bob, a.Message).State;
            var b = SpqrRatchet.Send(bob);
            bob = b.State;

            var decoded = SignalSharp.Spqr.State.StateCodec.Decode(alice);
            if (decoded.V1!.Kind == SignalSharp.Spqr.State.BraidKind.EkSentCt1Received)
            {
                var garbage = Enumerable.Repeat((byte)fill, 2400).ToArray();
                alice = SignalSharp.Spqr.State.StateCodec.Encode(decoded with { V1 = decoded.V1 with { Dk = garbage } });
            }

            try
            {
                alice = SpqrRatchet.Recv(alice, b.Message).State;
            }
            catch (SpqrException e)
            {
                Assert.Equal(SpqrError.MacVerifyFailed, e.Error);
                return;
            }
        }

        Assert.Fail("the garbage key was never used");
    }

    [Theory]
    [InlineData(0xFF)]
    [InlineData(0x7F)]
    public void A_garbage_encapsulation_state_ends_in_a_mac_failure(int fill)
    {
        var authKey = RandomNumberGenerator.GetBytes(32);
        var alice = SpqrRatchet.InitialState(authKey, SpqrDirection.A2B);
        var bob = SpqrRatchet.InitialState(authKey, SpqrDirection.B2A);
        var corrupted = false;
        for (var i = 0; i < 200; i++)
        {
            var a = SpqrRatchet.Send(alice);
            alice = a.State;
            var decoded = SignalSharp.Spqr.State.StateCodec.Decode(bob);
            if (!corrupted && decoded.V1!.Kind == SignalSharp.Spqr.State.BraidKind.Ct1Sampled)
            {
                bob = SignalSharp.Spqr.State.StateCodec.Encode(decoded with { V1 = decoded.V1 with { Es = Enumerable.Repeat((byte)fill, 2080).ToArray() } });
                corrupted = true;
            }

            bob = SpqrRatchet.Recv(bob, a.Message).State;
            var b = SpqrRatchet.Send(bob);
            bob = b.State;
            try
            {
                alice = SpqrRatchet.Recv(alice, b.Message).State;
            }
            catch (SpqrException e)
            {
                Assert.True(corrupted);
                Assert.Equal(SpqrError.MacVerifyFailed, e.Error);
                return;
            }
        }

        Assert.Fail("the garbage state was never used");
    }

    private static int Outcome(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (SpqrException)
        {
            return 1;
        }
    }

    private static byte[] Corrupt(byte[] input, Random random)
    {
        var copy = input.ToArray();
        switch (random.Next(3))
        {
            case 0 when copy.Length > 0:
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            case 1 when copy.Length > 1:
                return copy[..random.Next(copy.Length)];
            default:
                var at = random.Next(copy.Length + 1);
                return [.. copy[..at], (byte)random.Next(256), .. copy[at..]];
        }
    }
}
