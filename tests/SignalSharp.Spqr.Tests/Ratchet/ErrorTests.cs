using System.Security.Cryptography;
using SignalSharp.Spqr.State;
using SignalSharp.Spqr.Wire;

namespace SignalSharp.Spqr.Tests.Ratchet;

/// <summary>Every <see cref="SpqrError"/> the ratchet raises, triggered through the public API.</summary>
public sealed class ErrorTests
{
    private readonly byte[] authKey = RandomNumberGenerator.GetBytes(32);

    private byte[] Bob => SpqrRatchet.InitialState(authKey, SpqrDirection.B2A);

    private static byte[] Msg(ulong epoch, uint index, PayloadType type = PayloadType.None, Chunk? chunk = null) =>
        new SpqrMessage(epoch, index, type, chunk).Serialize();

    private static SpqrError ErrorOf(Action action) => Assert.Throws<SpqrException>(action).Error;

    [Fact]
    public void Empty_message_before_negotiation_is_below_the_minimum_version() =>
        Assert.Equal(SpqrError.MinimumVersion, ErrorOf(() => SpqrRatchet.Recv(Bob, [])));

    [Fact]
    public void Version_zero_message_byte_is_below_the_minimum_version() =>
        Assert.Equal(SpqrError.MinimumVersion, ErrorOf(() => SpqrRatchet.Recv(Bob, [0, 1, 1, 0])));

    [Fact]
    public void Empty_message_after_negotiation_is_a_version_mismatch()
    {
        var bob = SpqrRatchet.Recv(Bob, Msg(1, 1)).State;
        Assert.Null(StateCodec.Decode(bob).Negotiation);
        Assert.Equal(SpqrError.VersionMismatch, ErrorOf(() => SpqrRatchet.Recv(bob, [])));
    }

    [Fact]
    public void A_future_version_is_ignored_without_a_key()
    {
        var bob = Bob;
        var result = SpqrRatchet.Recv(bob, [2, 1, 1, 0]);
        Assert.Equal(bob, result.State);
        Assert.Null(result.Key);
    }

    [Fact]
    public void A_legacy_empty_state_sends_and_receives_nothing()
    {
        var sent = SpqrRatchet.Send([]);
        Assert.Empty(sent.State);
        Assert.Empty(sent.Message);
        Assert.Null(sent.Key);
        var received = SpqrRatchet.Recv([], Msg(1, 1));
        Assert.Empty(received.State);
        Assert.Null(received.Key);
    }

    [Fact]
    public void A_message_from_a_future_epoch_is_out_of_range() =>
        Assert.Equal(SpqrError.EpochOutOfRange, ErrorOf(() => SpqrRatchet.Recv(Bob, Msg(2, 1))));

    [Fact]
    public void Key_errors_surface_from_the_chain()
    {
        Assert.Equal(SpqrError.KeyJump, ErrorOf(() => SpqrRatchet.Recv(Bob, Msg(1, 25_001))));
        var bob = SpqrRatchet.Recv(Bob, Msg(1, 3000)).State;
        Assert.Equal(SpqrError.KeyTrimmed, ErrorOf(() => SpqrRatchet.Recv(bob, Msg(1, 5))));
        Assert.Equal(SpqrError.KeyAlreadyRequested, ErrorOf(() => SpqrRatchet.Recv(bob, Msg(1, 3000))));
        var twice = SpqrRatchet.Recv(bob, Msg(1, 2999)).State;
        Assert.Equal(SpqrError.KeyAlreadyRequested, ErrorOf(() => SpqrRatchet.Recv(twice, Msg(1, 2999))));
    }

    [Theory]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 1, 0, 1, 0 })]
    [InlineData(new byte[] { 1, 1, 1, 7 })]
    [InlineData(new byte[] { 1, 1, 1 })]
    [InlineData(new byte[] { 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0 })]
    [InlineData(new byte[] { 1, 1, 1, 1, 0, 1, 2, 3 })]
    [InlineData(new byte[] { 1, 1, 1, 1, 0x80, 0x80, 0x04 })]
    public void Malformed_messages_fail_to_decode(byte[] message) =>
        Assert.Equal(SpqrError.MsgDecode, ErrorOf(() => SpqrRatchet.Recv(Bob, message)));

    [Fact]
    public void Malformed_states_fail_to_decode()
    {
        Assert.Equal(SpqrError.StateDecode, ErrorOf(() => SpqrRatchet.Send([0x0a, 0x05, 0x01])));
        Assert.Equal(SpqrError.StateDecode, ErrorOf(() => SpqrRatchet.Recv([0xff, 0xff], Msg(1, 1))));

        // A V1 state whose braid lacks its authenticator.
        var state = StateCodec.Decode(Bob);
        var broken = StateCodec.Encode(state with { V1 = state.V1! with { Auth = null } });
        Assert.Equal(SpqrError.StateDecode, ErrorOf(() => SpqrRatchet.Send(broken)));
    }

    [Fact]
    public void A_state_without_chain_or_negotiation_has_no_chain()
    {
        var state = StateCodec.Decode(Bob);
        var chainless = StateCodec.Encode(state with { Negotiation = null });
        Assert.Equal(SpqrError.ChainNotAvailable, ErrorOf(() => SpqrRatchet.Send(chainless)));
        Assert.Equal(SpqrError.ChainNotAvailable, ErrorOf(() => SpqrRatchet.Recv(chainless, Msg(1, 1))));
    }

    [Fact]
    public void A_tampered_header_fails_its_mac()
    {
        // Header chunks of a real A2B state: Alice's sends until the 96-byte hdr‖mac is complete.
        var alice = SpqrRatchet.InitialState(authKey, SpqrDirection.A2B);
        var bob = Bob;
        for (var i = 0; i < 3; i++)
        {
            var sent = SpqrRatchet.Send(alice);
            alice = sent.State;
            var message = sent.Message;
            if (i == 2)
            {
                message[^1] ^= 1;
                Assert.Equal(SpqrError.MacVerifyFailed, ErrorOf(() => SpqrRatchet.Recv(bob, message)));
                return;
            }

            bob = SpqrRatchet.Recv(bob, message).State;
        }
    }

    [Theory]
    [InlineData((int)PayloadType.EkCt1Ack, SpqrError.ErroneousDataReceived)]
    [InlineData((int)PayloadType.Ek, SpqrError.ErroneousDataReceived)]
    [InlineData((int)PayloadType.Ct2, SpqrError.MacVerifyFailed)]
    [InlineData((int)PayloadType.Ct1, SpqrError.MacVerifyFailed)]
    public void Tampered_braid_payloads_are_detected(int tamper, SpqrError expected)
    {
        var tamperType = (PayloadType)tamper;
        var alice = SpqrRatchet.InitialState(authKey, SpqrDirection.A2B);
        var bob = Bob;
        var tampered = false;
        for (var round = 0; round < 200; round++)
        {
            foreach (var fromAlice in new[] { true, false })
            {
                var sent = SpqrRatchet.Send(fromAlice ? alice : bob);
                if (fromAlice)
                {
                    alice = sent.State;
                }
                else
                {
                    bob = sent.State;
                }

                var message = sent.Message;
                if (!tampered && SpqrMessage.Parse(message).Type == tamperType)
                {
                    message[^1] ^= 0x40;
                    tampered = true;
                }

                try
                {
                    if (fromAlice)
                    {
                        bob = SpqrRatchet.Recv(bob, message).State;
                    }
                    else
                    {
                        alice = SpqrRatchet.Recv(alice, message).State;
                    }
                }
                catch (SpqrException e)
                {
                    Assert.True(tampered);
                    Assert.Equal(expected, e.Error);
                    return;
                }
            }
        }

        Assert.Fail("tampering went unnoticed");
    }

    [Fact]
    public void Errors_leave_the_callers_state_usable()
    {
        var bob = Bob;
        Assert.Throws<SpqrException>(() => SpqrRatchet.Recv(bob, Msg(2, 1)));
        var ok = SpqrRatchet.Recv(bob, Msg(1, 1));
        Assert.NotNull(ok.Key);
    }
}
