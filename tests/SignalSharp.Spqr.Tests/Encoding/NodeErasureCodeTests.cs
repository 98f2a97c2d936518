using SignalSharp.Interop.Testing;
using SignalSharp.Spqr.Encoding;

namespace SignalSharp.Spqr.Tests.Encoding;

/// <summary>The erasure code against libsignal 0.100.0 (spqr v1.5.3): chunks on the wire and stored state bytes.</summary>
public sealed class NodeErasureCodeTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private const int KeysSampled = 2;
    private const int NoHeaderReceived = 6;
    private const int HeaderReceived = 7;

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
}
