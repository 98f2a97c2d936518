using System.Security.Cryptography;
using SignalSharp.Spqr.Encoding;

namespace SignalSharp.Spqr.Tests.Encoding;

public sealed class ErasureCodeTests
{
    // The sizes SPQR chunks: hdr+mac, ct2+mac, ct1, ek; plus odd shapes that leave polynomials uneven.
    public static TheoryData<int> Lengths => new() { 96, 160, 960, 1152, 10, 34, 2 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SystematicChunksAreTheMessage(int length)
    {
        var message = RandomNumberGenerator.GetBytes(length);
        var encoder = new PolyEncoder(message);
        int n = (length + 31) / 32;
        var joined = new List<byte>();
        for (int k = 0; k < n; k++)
        {
            var (index, chunk) = encoder.NextChunk();
            Assert.Equal(k, index);
            joined.AddRange(chunk);
        }

        Assert.Equal(message, joined.Take(length).ToArray());
        if (length % 32 == 0)
        {
            // Whole chunks never need a computed value, so the state must still be raw points.
            Assert.Equal(16, encoder.Points.Count);
            Assert.Empty(encoder.Polys);
        }
    }

    [Theory]
    [InlineData(96)]
    [InlineData(160)]
    [InlineData(960)]
    [InlineData(1152)]
    public void AnyNDistinctChunksDecode(int length)
    {
        int n = length / 32;
        for (int trial = 0; trial < 6; trial++)
        {
            var message = RandomNumberGenerator.GetBytes(length);
            var encoder = new PolyEncoder(message);

            // Trial 0 uses parity only; the others mix systematic and parity chunks from a wider range.
            var indices = trial == 0
                ? Enumerable.Range(n, n).ToArray()
                : Enumerable.Range(0, 3 * n).OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).Take(n).ToArray();

            var decoder = new PolyDecoder(length);
            for (int i = 0; i < indices.Length; i++)
            {
                Assert.Null(decoder.TryDecode());
                var chunk = new byte[32];
                encoder.ChunkAt((ushort)indices[i], chunk);
                decoder.AddChunk((ushort)indices[i], chunk);
            }

            Assert.Equal(message, decoder.TryDecode());
        }
    }

    [Fact]
    public void UnevenLengthDecodesFromParity()
    {
        var message = RandomNumberGenerator.GetBytes(10);
        var encoder = new PolyEncoder(message);
        var decoder = new PolyDecoder(10);
        var chunk = new byte[32];
        encoder.ChunkAt(1, chunk);
        decoder.AddChunk(1, chunk);
        Assert.Equal(message, decoder.TryDecode());
    }

    [Fact]
    public void EncoderSwitchesToPolysOnFirstParityChunk()
    {
        var message = RandomNumberGenerator.GetBytes(96);
        var encoder = new PolyEncoder(message);
        for (int k = 0; k < 3; k++)
        {
            encoder.NextChunk();
        }

        Assert.Equal(16, encoder.Points.Count);
        encoder.NextChunk();
        Assert.Empty(encoder.Points);
        Assert.Equal(16, encoder.Polys.Count);
        Assert.All(encoder.Polys, p => Assert.Equal(6, p.Length));
        Assert.Equal(4u, encoder.NextIndex);

        // The coefficients interpolate the original words: evaluating at x = 0..2 gives the message back.
        var chunk = new byte[32];
        encoder.ChunkAt(1, chunk);
        Assert.Equal(message.AsSpan(32, 32).ToArray(), chunk);
    }

    [Fact]
    public void EncoderStateRoundTrips()
    {
        var message = RandomNumberGenerator.GetBytes(160);
        var encoder = new PolyEncoder(message);
        encoder.NextChunk();
        var copy = PolyEncoder.FromState(encoder.NextIndex, encoder.Points, encoder.Polys);
        Assert.Equal(encoder.NextChunk(), copy.NextChunk(), ChunkComparer.Instance);

        for (int i = 0; i < 6; i++)
        {
            encoder.NextChunk();
        }

        copy = PolyEncoder.FromState(encoder.NextIndex, encoder.Points, encoder.Polys);
        Assert.Equal(encoder.Polys, copy.Polys);
        Assert.Equal(encoder.NextChunk(), copy.NextChunk(), ChunkComparer.Instance);
    }

    [Fact]
    public void EncoderRejectsInvalidState()
    {
        var sixteen = Enumerable.Repeat(new byte[2], 16).ToArray();
        Assert.Throws<FormatException>(() => PolyEncoder.FromState(0, sixteen, sixteen));
        Assert.Throws<FormatException>(() => PolyEncoder.FromState(0, sixteen.Take(15).ToArray(), []));
        Assert.Throws<FormatException>(() => PolyEncoder.FromState(0, [], []));
        Assert.Throws<FormatException>(() => PolyEncoder.FromState(0, Enumerable.Repeat(new byte[3], 16).ToArray(), []));
        Assert.Throws<ArgumentException>(() => new PolyEncoder(new byte[3]));
    }

    [Fact]
    public void DecoderStateRoundTripsMidway()
    {
        var message = RandomNumberGenerator.GetBytes(1152);
        var encoder = new PolyEncoder(message);
        var decoder = new PolyDecoder(1152);
        var chunk = new byte[32];
        for (ushort k = 40; k < 60; k++)
        {
            encoder.ChunkAt(k, chunk);
            decoder.AddChunk(k, chunk);
        }

        var restored = PolyDecoder.FromState(decoder.PointsNeeded, decoder.Points, decoder.IsComplete);
        Assert.Equal(576u, restored.PointsNeeded);
        Assert.Equal(decoder.Points, restored.Points);
        for (ushort k = 3; k < 19; k++)
        {
            encoder.ChunkAt(k, chunk);
            restored.AddChunk(k, chunk);
        }

        Assert.Equal(message, restored.TryDecode());
    }

    [Fact]
    public void DecoderPointsAreSortedRecordsAndFollowTheKeepRule()
    {
        var message = RandomNumberGenerator.GetBytes(96);
        var encoder = new PolyEncoder(message);
        var decoder = new PolyDecoder(96);
        var chunk = new byte[32];
        foreach (ushort k in new ushort[] { 9, 5, 7, 1, 8 })
        {
            encoder.ChunkAt(k, chunk);
            decoder.AddChunk(k, chunk);
        }

        // need = 3: 9, 5, 7 fill the set; 1 is kept (x < need); 8 is dropped (set full, x >= need).
        var records = decoder.Points[0];
        Assert.Equal(16, records.Length);
        var xs = Enumerable.Range(0, 4).Select(i => (records[4 * i] << 8) | records[(4 * i) + 1]).ToArray();
        Assert.Equal(new[] { 1, 5, 7, 9 }, xs);

        // Exact point x = 1 is used as is; x = 0 and x = 2 come from the first three points (1, 5, 7).
        Assert.Equal(message, decoder.TryDecode());
    }

    [Fact]
    public void DuplicateChunkLeavesStateUnchangedAndDifferingDuplicateReplaces()
    {
        var message = RandomNumberGenerator.GetBytes(96);
        var encoder = new PolyEncoder(message);
        var decoder = new PolyDecoder(96);
        var chunk = new byte[32];
        encoder.ChunkAt(4, chunk);
        decoder.AddChunk(4, chunk);
        var before = decoder.Points.Select(p => p.ToArray()).ToArray();
        decoder.AddChunk(4, chunk);
        Assert.Equal(before, decoder.Points);

        // A second chunk with the same index replaces the stored y values (sorted_vec SortedSet::push semantics).
        var corrupt = (byte[])chunk.Clone();
        corrupt[1] ^= 0xFF;
        decoder.AddChunk(4, corrupt);
        Assert.Equal(1, decoder.Points[0].Length / 4);
        Assert.Equal(corrupt[1], decoder.Points[0][3]);

        // Duplicates count once: two more distinct chunks are still needed.
        encoder.ChunkAt(5, chunk);
        decoder.AddChunk(5, chunk);
        Assert.Null(decoder.TryDecode());
    }

    [Fact]
    public void IsCompleteDecoderNeverDecodes()
    {
        var message = RandomNumberGenerator.GetBytes(96);
        var encoder = new PolyEncoder(message);
        var decoder = new PolyDecoder(96);
        var chunk = new byte[32];
        for (ushort k = 0; k < 3; k++)
        {
            encoder.ChunkAt(k, chunk);
            decoder.AddChunk(k, chunk);
        }

        var completed = PolyDecoder.FromState(decoder.PointsNeeded, decoder.Points, isComplete: true);
        Assert.Null(completed.TryDecode());
        Assert.Equal(message, decoder.TryDecode());
    }

    private sealed class ChunkComparer : IEqualityComparer<(ushort Index, byte[] Chunk32)>
    {
        public static readonly ChunkComparer Instance = new();

        public bool Equals((ushort Index, byte[] Chunk32) x, (ushort Index, byte[] Chunk32) y) =>
            x.Index == y.Index && x.Chunk32.AsSpan().SequenceEqual(y.Chunk32);

        public int GetHashCode((ushort Index, byte[] Chunk32) obj) => obj.Index;
    }
}
