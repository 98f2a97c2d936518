using SignalSharp.Interop.Testing;
using SignalSharp.Spqr.Encoding;

namespace SignalSharp.Spqr.Tests.Encoding;

/// <summary>The erasure code against libsignal 0.100.0 (spqr v1.5.3): chunks on the wire and stored state bytes.</summary>
public sealed class NodeErasureCodeTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private const int KeysSampled = 2;
    private const int NoHeaderReceived = 6;
    private const int HeaderReceived = 7;
    private const int Ct1Sampled = 8;
    private const int EkReceivedCt1Sampled = 9;
    private const int Ct1Acknowledged = 10;
    private const int Ct2Sampled = 11;

    [Fact]
    public async Task HeaderChunksAndEncoderStateMatchNodeIncludingParity()
    {
        // Alice sends alone: she stays in KeysSampled and keeps emitting header chunks, #3 onwards being parity.
        var steps = await NodeSpqrTrace.RunAsync(await fixture.GetAsync(), "AAAAAAA");

        var (_, first) = NodeSpqrTrace.V1State(steps[0].Alice);
        var firstEncoder = NodeSpqrTrace.Encoder(Proto.Bytes(first, 2)!);
        var headerAndMac = NodeSpqrTrace.MessageFromPoints(firstEncoder.Points);
        Assert.Equal(96, headerAndMac.Length);

        var encoder = new PolyEncoder(headerAndMac);
        for (int k = 0; k < steps.Count; k++)
        {
            var (epoch, type, chunkIndex, chunk) = NodeSpqrTrace.ParseMessage(steps[k].Pq);
            Assert.Equal((1UL, 1, (ushort?)k), (epoch, type, chunkIndex));

            var (index, ours) = encoder.NextChunk();
            Assert.Equal(k, index);
            Assert.Equal(Convert.ToHexString(chunk!), Convert.ToHexString(ours));

            var (stateCase, body) = NodeSpqrTrace.V1State(steps[k].Alice);
            Assert.Equal(KeysSampled, stateCase);
            var node = NodeSpqrTrace.Encoder(Proto.Bytes(body, 2)!);
            Assert.Equal(node.Index, encoder.NextIndex);
            Assert.Equal(node.Points, encoder.Points);
            Assert.Equal(node.Polys, encoder.Polys);
            if (k >= 3)
            {
                Assert.Equal(16, node.Polys.Count);
            }
        }

        // Rebuilding from node's stored polys continues the same parity stream.
        var (_, mid) = NodeSpqrTrace.V1State(steps[3].Alice);
        var stored = NodeSpqrTrace.Encoder(Proto.Bytes(mid, 2)!);
        var resumed = PolyEncoder.FromState(stored.Index, stored.Points, stored.Polys);
        Assert.Equal(NodeSpqrTrace.ParseMessage(steps[4].Pq).Chunk, resumed.NextChunk().Chunk32);
    }

    [Fact]
    public async Task DecoderStateMatchesNodeWhenOnlyParityArrives()
    {
        // The first three header chunks are lost, so Bob decodes the header from parity chunks 3, 4, 5.
        var steps = await NodeSpqrTrace.RunAsync(await fixture.GetAsync(), "aaaAAA");
        var (_, first) = NodeSpqrTrace.V1State(steps[0].Alice);
        var headerAndMac = NodeSpqrTrace.MessageFromPoints(NodeSpqrTrace.Encoder(Proto.Bytes(first, 2)!).Points);

        var decoder = new PolyDecoder(96);
        for (int k = 3; k < 5; k++)
        {
            var (_, _, chunkIndex, chunk) = NodeSpqrTrace.ParseMessage(steps[k].Pq);
            decoder.AddChunk(chunkIndex!.Value, chunk);
            Assert.Null(decoder.TryDecode());

            var (stateCase, body) = NodeSpqrTrace.V1State(steps[k].Bob);
            Assert.Equal(NoHeaderReceived, stateCase);
            var node = NodeSpqrTrace.Decoder(Proto.Bytes(body, 2)!);
            Assert.Equal(node.Needed, decoder.PointsNeeded);
            Assert.Equal(node.Points, decoder.Points);
            Assert.Equal(node.Complete, decoder.IsComplete);

            var restored = PolyDecoder.FromState(node.Needed, node.Points, node.Complete);
            Assert.Equal(decoder.Points, restored.Points);
        }

        var last = NodeSpqrTrace.ParseMessage(steps[5].Pq);
        decoder.AddChunk(last.ChunkIndex!.Value, last.Chunk);
        var decoded = decoder.TryDecode();
        Assert.Equal(headerAndMac, decoded);

        // Bob got there too: his HeaderReceived state holds the same 64-byte header.
        var (bobCase, bobBody) = NodeSpqrTrace.V1State(steps[5].Bob);
        Assert.Equal(HeaderReceived, bobCase);
        var unchunked = Proto.Bytes(bobBody, 1)!;
        Assert.Equal(headerAndMac.AsSpan(0, 64).ToArray(), Proto.Bytes(unchunked, 3));
    }

    [Fact]
    public async Task EkDecoderMatchesNodeWhenTheFirstTenChunksAreLost()
    {
        // Ping-pong, but Alice's ek chunks #0..#9 are lost: Bob needs parity chunks #36..#45 to finish the ek.
        var plan = "ABABAB" + string.Concat(Enumerable.Repeat("aB", 10)) + string.Concat(Enumerable.Repeat("AB", 44));
        var steps = await NodeSpqrTrace.RunAsync(await fixture.GetAsync(), plan);
        var (_, keysSampled) = NodeSpqrTrace.V1State(steps[0].Alice);
        var ek = Proto.Bytes(Proto.Bytes(keysSampled, 1)!, 3)!;

        var decoder = new PolyDecoder(1152);
        int compared = 0;
        var seenIndices = new List<int>();
        foreach (var step in steps)
        {
            var (_, type, chunkIndex, chunk) = NodeSpqrTrace.ParseMessage(step.Pq);
            if (step.From == 'A' && type is 2 or 3 && step.Delivered)
            {
                decoder.AddChunk(chunkIndex!.Value, chunk);
                seenIndices.Add(chunkIndex.Value);
            }

            var (bobCase, body) = NodeSpqrTrace.V1State(step.Bob);
            int decoderField = bobCase switch { Ct1Sampled => 3, Ct1Acknowledged => 2, _ => 0 };
            if (decoderField != 0 && Proto.Bytes(body, decoderField) is { } stored)
            {
                var node = NodeSpqrTrace.Decoder(stored);
                Assert.Equal(node.Points, decoder.Points);
                Assert.Null(decoder.TryDecode());
                compared++;
            }

            if (bobCase is EkReceivedCt1Sampled or Ct2Sampled)
            {
                Assert.Equal(ek, decoder.TryDecode());
                Assert.Contains(45, seenIndices);
                Assert.DoesNotContain(0, seenIndices);
                Assert.True(compared > 30, $"compared {compared} decoder states");
                return;
            }
        }

        Assert.Fail("Bob never completed the ek");
    }
}
