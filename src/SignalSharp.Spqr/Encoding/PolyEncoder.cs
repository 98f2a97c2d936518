using System.Buffers.Binary;

namespace SignalSharp.Spqr.Encoding;

/// <summary>
/// SPQR's systematic erasure encoder: the message's big-endian 16-bit words are spread round-robin over 16
/// polynomials (word j is the value of polynomial j % 16 at x = j / 16), and chunk k holds the 16 polynomials'
/// values at x = k. Chunks below the point count are the message itself; later chunks are parity.
/// </summary>
/// <remarks>
/// State mirrors libsignal's PolynomialEncoder protobuf byte for byte: raw points until the first chunk that needs a
/// computed value, then (for good) the 16 interpolated coefficient vectors.
/// </remarks>
internal sealed class PolyEncoder
{
    public const int ChunkSize = 32;
    public const int PolyCount = 16;
    public const int MaxMessageLength = (1 << 16) * PolyCount;

    private ushort[][]? points;
    private ushort[][]? polys;

    public PolyEncoder(ReadOnlySpan<byte> message)
    {
        if (message.Length % 2 != 0)
        {
            throw new ArgumentException("message length must be even", nameof(message));
        }

        if (message.Length > MaxMessageLength)
        {
            throw new ArgumentException("message too long", nameof(message));
        }

        int words = message.Length / 2;
        this.points = new ushort[PolyCount][];
        for (int p = 0; p < PolyCount; p++)
        {
            this.points[p] = new ushort[(words / PolyCount) + (p < words % PolyCount ? 1 : 0)];
        }

        for (int j = 0; j < words; j++)
        {
            this.points[j % PolyCount][j / PolyCount] = BinaryPrimitives.ReadUInt16BigEndian(message[(2 * j)..]);
        }
    }

    private PolyEncoder(uint nextIndex, ushort[][]? points, ushort[][]? polys)
    {
        NextIndex = nextIndex;
        this.points = points;
        this.polys = polys;
    }

    /// <summary>Index of the next chunk <see cref="NextChunk"/> returns (u32, cast to u16 on use).</summary>
    public uint NextIndex { get; private set; }

    /// <summary>16 runs of BE16 words while the encoder is in points form; empty once switched to polys.</summary>
    public IReadOnlyList<byte[]> Points =>
        this.points is null ? [] : Array.ConvertAll(this.points, p => GfPoly.ToBigEndian(p));

    /// <summary>16 runs of BE16 coefficients (ascending powers) once switched; empty before.</summary>
    public IReadOnlyList<byte[]> Polys =>
        this.polys is null ? [] : Array.ConvertAll(this.polys, p => GfPoly.ToBigEndian(p));

    /// <summary>Rebuilds an encoder from stored state, with the same validity rules as SPQR's from_pb.</summary>
    public static PolyEncoder FromState(uint nextIndex, IReadOnlyList<byte[]> points, IReadOnlyList<byte[]> polys)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(polys);
        if (points.Count != 0)
        {
            if (polys.Count != 0 || points.Count != PolyCount)
            {
                throw new FormatException("encoder state must hold 16 point runs and no polynomials");
            }

            var pts = new ushort[PolyCount][];
            for (int p = 0; p < PolyCount; p++)
            {
                pts[p] = GfPoly.FromBigEndian(points[p]);
            }

            return new PolyEncoder(nextIndex, pts, null);
        }

        if (polys.Count != PolyCount)
        {
            throw new FormatException("encoder state must hold 16 polynomials");
        }

        var coefficients = new ushort[PolyCount][];
        for (int p = 0; p < PolyCount; p++)
        {
            if (polys[p].Length == 0)
            {
                throw new FormatException("stored polynomial is empty");
            }

            coefficients[p] = GfPoly.FromBigEndian(polys[p]);
        }

        return new PolyEncoder(nextIndex, null, coefficients);
    }

    /// <summary>Returns the chunk at <see cref="NextIndex"/> and advances it (wrapping like SPQR's u32).</summary>
    public (ushort Index, byte[] Chunk32) NextChunk()
    {
        ushort index = unchecked((ushort)NextIndex);
        var chunk = new byte[ChunkSize];
        ChunkAt(index, chunk);
        NextIndex = unchecked(NextIndex + 1);
        return (index, chunk);
    }

    /// <summary>Writes chunk <paramref name="index"/> (32 bytes); may switch the state from points to polys.</summary>
    public void ChunkAt(ushort index, Span<byte> chunk32)
    {
        if (chunk32.Length != ChunkSize)
        {
            throw new ArgumentException("chunk must be 32 bytes", nameof(chunk32));
        }

        // One product table for the chunk's point serves all 16 polynomials; made only when a value is computed.
        Span<ushort> productTable = stackalloc ushort[Gf16.ProductTableLength];
        bool tableMade = false;
        for (int p = 0; p < PolyCount; p++)
        {
            ushort value;
            if (this.points is not null && index < this.points[p].Length)
            {
                value = this.points[p][index];
            }
            else
            {
                if (this.points is not null)
                {
                    SwitchToPolys(this.points);
                }

                if (!tableMade)
                {
                    Gf16.FillProductTable(index, productTable);
                    tableMade = true;
                }

                value = GfPoly.Evaluate(this.polys![p], productTable);
            }

            BinaryPrimitives.WriteUInt16BigEndian(chunk32[(2 * p)..], value);
        }
    }

    // The first value not among the original words switches the state for good, as SPQR does, so that the stored
    // state matches libsignal's.
    private void SwitchToPolys(ushort[][] points)
    {
        var polys = new ushort[PolyCount][];
        for (int p = 0; p < PolyCount; p++)
        {
            polys[p] = new ushort[points[p].Length];
            LagrangeBasis.ForConsecutive(points[p].Length).Interpolate(points[p], polys[p]);
        }

        this.polys = polys;
        this.points = null;
    }
}
