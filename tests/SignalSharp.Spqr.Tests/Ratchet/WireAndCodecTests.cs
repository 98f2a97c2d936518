using System.Security.Cryptography;
using SignalSharp.Spqr.Chains;
using SignalSharp.Spqr.State;
using SignalSharp.Spqr.Wire;

namespace SignalSharp.Spqr.Tests.Ratchet;

public sealed class WireAndCodecTests
{
    [Fact]
    public void Header_chunk_message_has_the_documented_layout()
    {
        var data = RandomNumberGenerator.GetBytes(32);
        var bytes = new SpqrMessage(1, 1, PayloadType.Hdr, new Chunk(0, data)).Serialize();
        Assert.Equal([0x01, 0x01, 0x01, 0x01, 0x00, .. data], bytes);
    }

    [Fact]
    public void Varints_are_leb128_and_chunkless_types_stop_after_the_type_byte()
    {
        var bytes = new SpqrMessage(300, 70_000, PayloadType.Ct1Ack, null).Serialize();
        Assert.Equal(new byte[] { 0x01, 0xAC, 0x02, 0xF0, 0xA2, 0x04, 0x04 }, bytes);
        var parsed = SpqrMessage.Parse([.. bytes, 0xEE, 0xEE]);
        Assert.Equal((300UL, 70_000U, PayloadType.Ct1Ack), (parsed.Epoch, parsed.Index, parsed.Type));
        Assert.Null(parsed.Chunk);
    }

    [Fact]
    public void Chunk_index_and_epoch_round_trip_at_their_limits()
    {
        var m = new SpqrMessage(ulong.MaxValue, uint.MaxValue, PayloadType.Ct2, new Chunk(ushort.MaxValue, new byte[32]));
        Assert.Equal(m.Serialize(), SpqrMessage.Parse(m.Serialize()).Serialize());
    }

    [Fact]
    public void Initial_alice_state_has_the_documented_118_byte_layout()
    {
        var auth = RandomNumberGenerator.GetBytes(32);
        var state = SpqrRatchet.InitialState(auth, SpqrDirection.A2B);
        Assert.Equal(118, state.Length);
        Assert.Equal(new byte[] { 0x0a, 0x26, 0x0a, 0x20 }, state[..4]);
        Assert.Equal(auth, state[4..36]);
        Assert.Equal(new byte[] { 0x18, 0x01, 0x22, 0x00, 0x1a, 0x4c, 0x0a, 0x4a, 0x0a, 0x48, 0x08, 0x01, 0x12, 0x44, 0x0a, 0x20 }, state[36..52]);
    }

    [Fact]
    public void Default_chain_params_are_stored_as_zero_and_read_as_defaults()
    {
        var p = ChainParams.FromLimits(25_000, 2_000);
        Assert.Equal((0u, 0u), (p.StoredMaxJump, p.StoredMaxOooKeys));
        Assert.Equal((25_000u, 2_000u, 2201), (p.MaxJump, p.MaxOooKeys, p.TrimSize));
    }

    [Fact]
    public void Unknown_fields_in_a_state_are_skipped()
    {
        var state = SpqrRatchet.InitialState(RandomNumberGenerator.GetBytes(32), SpqrDirection.B2A);
        byte[] withExtra = [.. state, 0x78, 0x05, 0x81, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        Assert.Equal(state, StateCodec.Encode(StateCodec.Decode(withExtra)));
    }
}
