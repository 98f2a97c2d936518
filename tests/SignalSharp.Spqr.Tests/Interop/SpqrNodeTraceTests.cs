using Xunit.Abstractions;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Spqr.State;
using SignalSharp.Spqr.Wire;

namespace SignalSharp.Spqr.Tests.Interop;

/// <summary>
/// Byte-exact proof against libsignal 0.100 (white-box, spqr.md §6): node runs real sessions and reports every SPQR
/// message and pq_ratchet_state; C# must reproduce node's states from node's inputs, and its keys must make node's
/// SignalMessage MACs verify.
/// </summary>
public sealed class SpqrNodeTraceTests(NodeOracleFixture fixture, ITestOutputHelper output) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Ping_pong_over_several_epochs_matches_node_byte_for_byte()
    {
        var trace = await SpqrTrace.RunAsync(await fixture.GetAsync(), string.Concat(Enumerable.Repeat("AB", 130)));
        var report = Check(trace);
        Assert.True(report.Epochs >= 3, $"only reached epoch {report.Epochs}");
    }

    [Fact]
    public async Task Bursts_from_alice_exercise_parity_chunks_and_match_node()
    {
        var plan = string.Concat(Enumerable.Repeat("AAAAAAAAAB", 24)) + string.Concat(Enumerable.Repeat("BBBBBBBBBA", 12));
        var trace = await SpqrTrace.RunAsync(await fixture.GetAsync(), plan);
        Check(trace);
        // Parity chunks: the header encoder switched from points to polynomials somewhere in the trace.
        Assert.Contains(trace.Sent, s => StateCodec.Decode(s.After).V1?.Encoder?.Polys.Count == 16);
    }

    [Fact]
    public async Task Lossy_reordered_conversation_matches_node()
    {
        var random = new Random(1234);
        var steps = new List<(char?, int?)>();
        var inFlight = new List<(int Id, char From)>();
        var sent = 0;
        var bobHasSession = false;
        for (var i = 0; i < 420; i++)
        {
            var from = !bobHasSession || random.Next(2) == 0 ? 'A' : 'B';
            steps.Add((from, null));
            inFlight.Add((sent++, from));
            // Deliver some in-flight messages in random order; drop about one in ten for good.
            while (inFlight.Count > 0 && random.Next(3) != 0)
            {
                var pick = inFlight[random.Next(inFlight.Count)];
                inFlight.Remove(pick);
                if (random.Next(10) == 0 && (pick.From == 'B' || bobHasSession))
                {
                    continue;
                }

                steps.Add((null, pick.Id));
                bobHasSession |= pick.From == 'A';
            }
        }

        var trace = await SpqrTrace.RunAsync(await fixture.GetAsync(), SpqrTrace.Steps(steps));
        var report = Check(trace);
        Assert.True(report.Epochs >= 2, $"only reached epoch {report.Epochs}");
    }

    [Fact]
    public async Task Skipped_key_history_is_trimmed_and_reordered_exactly_like_node()
    {
        // 2600 unanswered sends from Alice; Bob then jumps far ahead twice (clearing, then garbage-collecting his
        // skipped-key history) and picks old keys out of it, which swap-removes records.
        var steps = new List<(char?, int?)>();
        for (var i = 0; i < 2600; i++)
        {
            steps.Add(('A', null));
        }

        foreach (var m in new[] { 0, 2001, 2500, 600, 1000, 2499, 2003, 550, 2599, 1500 })
        {
            steps.Add((null, m));
        }

        var delivered = new HashSet<int> { 0, 2001, 2500, 600, 1000, 2499, 2003, 550, 2599, 1500 };
        var plan = SpqrTrace.Steps(steps);
        for (var i = 0; i < 2600; i++)
        {
            if (!delivered.Contains(i))
            {
                plan[i]!["quiet"] = true;
            }
        }

        var trace = await SpqrTrace.RunAsync(await fixture.GetAsync(), plan);
        Check(trace);
        var history = StateCodec.Decode(trace.Received[^1].After).Chain!.Links[0].Recv.Prev;
        Assert.InRange(history.Count, 2000, 2200);
    }

    [Fact]
    public async Task Initial_state_equals_node_for_alice_and_bob()
    {
        var trace = await SpqrTrace.RunAsync(await fixture.GetAsync(), "AB");
        var authKey = StateCodec.Decode(trace.AliceInitial).Negotiation!.AuthKey;
        Assert.Equal(32, authKey.Length);
        Assert.Equal(trace.AliceInitial, SpqrRatchet.InitialState(authKey, SpqrDirection.A2B));

        // Bob's initial state never reaches his store; it is proven through his first receive.
        var bob = SpqrRatchet.Recv(SpqrRatchet.InitialState(authKey, SpqrDirection.B2A), trace.Sent[0].Pq);
        Assert.Equal(trace.Received[0].After, bob.State);
    }

    [Fact]
    public async Task Self_session_initial_state_lifts_the_jump_limit_like_node()
    {
        var nodeState = await (await fixture.GetAsync()).CallBytesAsync("spqr.selfInitial");
        var authKey = StateCodec.Decode(nodeState).Negotiation!.AuthKey;
        Assert.Equal(nodeState, SpqrRatchet.InitialState(authKey, SpqrDirection.A2B, selfSession: true));
        Assert.Equal(uint.MaxValue, StateCodec.Decode(nodeState).Negotiation!.ChainParams!.MaxJump);
    }

    private sealed record Report(int Recvs, int Sends, int Macs, ulong Epochs);

    /// <summary>Runs every check on a trace and returns how many of each passed (all must).</summary>
    private Report Check(SpqrTrace trace)
    {
        var authKey = StateCodec.Decode(trace.AliceInitial).Negotiation!.AuthKey;
        Assert.Equal(trace.AliceInitial, SpqrRatchet.InitialState(authKey, SpqrDirection.A2B));
        var keys = new Dictionary<int, byte[]?>();
        int recvs = 0, sends = 0, macs = 0;
        ulong epochs = 0;

        foreach (var r in trace.Received)
        {
            Assert.Null(r.Error);
            var message = trace.Sent[r.Message];
            var before = r.Before.Length == 0 && message.From == 'A' ? SpqrRatchet.InitialState(authKey, SpqrDirection.B2A) : r.Before;
            var result = SpqrRatchet.Recv(before, message.Pq);
            Assert.True(r.After.SequenceEqual(result.State), $"recv of message {r.Message} ({Describe(message.Pq)}) differs from node");
            keys[r.Message] = result.Key;
            recvs++;
        }

        for (var i = 0; i < trace.Sent.Count; i++)
        {
            var s = trace.Sent[i];
            Assert.Equal(s.Pq, SpqrMessage.Parse(s.Pq).Serialize());
            if (s.Before.Length == 0)
            {
                continue; // a quiet send: no snapshots recorded
            }

            foreach (var snapshot in new[] { s.Before, s.After })
            {
                Assert.Equal(snapshot, StateCodec.Encode(StateCodec.Decode(snapshot)));
            }

            epochs = Math.Max(epochs, SpqrMessage.Parse(s.Pq).Epoch);
            var kind = StateCodec.Decode(s.Before).V1!.Kind;
            if (kind is not (BraidKind.KeysUnsampled or BraidKind.HeaderReceived))
            {
                var result = SpqrRatchet.Send(s.Before);
                Assert.True(s.Pq.SequenceEqual(result.Message), $"send {i} from {kind}: message differs from node");
                Assert.True(s.After.SequenceEqual(result.State), $"send {i} from {kind}: state differs from node");
                Assert.True(SignalMessageMac.Verify(s.Record, s.SignalMessage, result.Key), $"send {i}: MAC with C# key fails");
                sends++;
            }

            if (keys.TryGetValue(i, out var key))
            {
                Assert.True(SignalMessageMac.Verify(s.Record, s.SignalMessage, key), $"message {i}: MAC with C# receive key fails");
                macs++;
            }
        }

        Assert.True(recvs > 0 && sends > 0 && macs > 0);
        var report = new Report(recvs, sends, macs, epochs);
        output.WriteLine(report.ToString());
        return report;
    }

    private static string Describe(byte[] pq)
    {
        var m = SpqrMessage.Parse(pq);
        return $"epoch {m.Epoch} index {m.Index} {m.Type} {m.Chunk?.Index}";
    }
}
