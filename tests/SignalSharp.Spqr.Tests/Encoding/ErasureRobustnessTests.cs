using CsCheck;
using SignalSharp.Spqr.Encoding;

namespace SignalSharp.Spqr.Tests.Encoding;

/// <summary>Stored state and chunks come from disk and from the peer: garbage must fail cleanly or decode to something.</summary>
public sealed class ErasureRobustnessTests
{
    [Fact]
    public void DecoderFromArbitraryRecordsNeverThrowsOnUse() =>
        Gen.Select(Gen.Byte.Array[0, 64].Array[16], Gen.UInt[0, 600], Gen.Bool).Sample((sets, needed, complete) =>
        {
            PolyDecoder decoder;
            try
            {
                decoder = PolyDecoder.FromState(needed, sets, complete);
            }
            catch (FormatException)
            {
                return sets.Any(s => s.Length % 4 != 0);
            }

            decoder.AddChunk(7, new byte[32]);
            var message = decoder.TryDecode();
            return message is null || message.Length == 2 * needed;
        }, iter: 300);

    [Fact]
    public void EncoderFromArbitraryPolysProducesChunks() =>
        Gen.Select(Gen.Byte.Array[2, 80].Array[16], Gen.UInt).Sample((polys, index) =>
        {
            PolyEncoder encoder;
            try
            {
                encoder = PolyEncoder.FromState(index, [], polys);
            }
            catch (FormatException)
            {
                return polys.Any(p => p.Length % 2 != 0);
            }

            var (chunkIndex, chunk) = encoder.NextChunk();
            return chunkIndex == unchecked((ushort)index) && chunk.Length == 32 && encoder.NextIndex == unchecked(index + 1);
        }, iter: 300);

    [Fact]
    public void DecoderIgnoresChunksBeyondNeedOnceFullAndStillDecodes() =>
        Gen.Select(Gen.Byte.Array[160], Gen.Int[0, 200].Array[5, 30]).Sample((message, indices) =>
        {
            var encoder = new PolyEncoder(message);
            var decoder = new PolyDecoder(message.Length);
            var chunk = new byte[32];
            foreach (var index in indices)
            {
                encoder.ChunkAt((ushort)index, chunk);
                decoder.AddChunk((ushort)index, chunk);
            }

            var decoded = decoder.TryDecode();
            int distinct = indices.Distinct().Count();
            return distinct < 5 ? decoded is null : decoded!.AsSpan().SequenceEqual(message);
        }, iter: 200);
}
