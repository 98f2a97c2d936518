using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Ratchet;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Sessions.Proto;

namespace SignalSharp.Protocol.Tests.Sessions;

/// <summary>Record bookkeeping with libsignal's limits: archives, receiver chains, skipped keys.</summary>
public sealed class SessionRecordTests
{
    [Fact]
    public void Archive_keeps_the_newest_40_states_newest_first()
    {
        var record = new SessionRecord();
        for (var i = 0; i < 45; i++)
        {
            record.PromoteState(StateWithBaseKey((byte)i));
        }

        Assert.Equal(40, record.ArchivedStateCount);
        Assert.Equal(44, record.CurrentState!.AliceBaseKey[1]);
        Assert.Equal(43, record.PreviousStates[0].AliceBaseKey[1]);
        Assert.Equal(4, record.PreviousStates[39].AliceBaseKey[1]);

        var copy = SessionRecord.Deserialize(record.Serialize());
        Assert.Equal(record.Serialize(), copy.Serialize());
        Assert.Equal(40, copy.ArchivedStateCount);
    }

    [Fact]
    public void Archiving_drops_the_pending_prekey_and_matching_base_key_promotes()
    {
        var record = new SessionRecord();
        var first = StateWithBaseKey(1);
        first.SetUnacknowledgedPreKeyMessage(7, 8, ECKeyPair.Generate().PublicKey, DateTimeOffset.UtcNow);
        record.PromoteState(first);
        record.PromoteState(StateWithBaseKey(2));
        Assert.Null(record.PreviousStates[0].UnacknowledgedPreKey);

        Assert.True(record.PromoteMatchingSession(4, StateWithBaseKey(1).AliceBaseKey.Span));
        Assert.Equal(1, record.CurrentState!.AliceBaseKey[1]);
        Assert.Equal(2, record.PreviousStates[0].AliceBaseKey[1]);
        Assert.False(record.PromoteMatchingSession(4, StateWithBaseKey(3).AliceBaseKey.Span));
        Assert.False(record.PromoteMatchingSession(3, StateWithBaseKey(2).AliceBaseKey.Span));
    }

    [Fact]
    public void Receiver_chains_are_capped_at_5_dropping_the_oldest()
    {
        var state = StateWithBaseKey(0);
        var keys = Enumerable.Range(0, 7).Select(_ => ECKeyPair.Generate().PublicKey).ToList();
        foreach (var key in keys)
        {
            state.AddReceiverChain(key, new ChainKey(new byte[32], 0));
        }

        Assert.Null(state.GetReceiverChainKey(keys[0].Serialize()));
        Assert.Null(state.GetReceiverChainKey(keys[1].Serialize()));
        Assert.All(keys.Skip(2), key => Assert.NotNull(state.GetReceiverChainKey(key.Serialize())));
    }

    [Fact]
    public void Skipped_keys_are_capped_at_2000_per_chain_dropping_the_oldest()
    {
        var state = StateWithBaseKey(0);
        var ratchetKey = ECKeyPair.Generate().PublicKey.Serialize();
        state.AddReceiverChain(ECPublicKey.Deserialize(ratchetKey), new ChainKey(new byte[32], 0));
        for (uint i = 0; i < 2001; i++)
        {
            state.StoreSkippedMessageKeySeed(ratchetKey, i, BitConverter.GetBytes(i));
        }

        Assert.Null(state.TakeSkippedMessageKey(ratchetKey, 0));
        Assert.Equal(BitConverter.GetBytes(1u), state.TakeSkippedMessageKey(ratchetKey, 1)!.Seed);
        Assert.Equal(BitConverter.GetBytes(2000u), state.TakeSkippedMessageKey(ratchetKey, 2000)!.Seed);
        Assert.Null(state.TakeSkippedMessageKey(ratchetKey, 2000));
    }

    [Fact]
    public void Garbage_is_a_typed_error()
    {
        Assert.Throws<InvalidSessionRecordException>(() => SessionRecord.Deserialize([0x0A, 0x05, 0x01]));
    }

    private static SessionState StateWithBaseKey(byte marker)
    {
        var baseKey = new byte[33];
        baseKey[0] = 0x05;
        baseKey[1] = marker;
        return new SessionState(new SessionStateProto { SessionVersion = 4, AliceBaseKey = ByteString.CopyFrom(baseKey) });
    }
}
