using System.Buffers.Binary;

namespace SignalSharp.Spqr.Encoding;

/// <summary>
/// Decoder for <see cref="PolyEncoder"/> chunks: collects per-polynomial points (x = chunk index) and rebuilds the
/// message once every polynomial has enough of them. Any <c>len/32</c> distinct chunks suffice.
/// </summary>
/// <remarks>
/// Behaviour and state follow SPQR's PolyDecoder exactly so that stored state matches libsignal's: a point is kept
/// only if its x is below the polynomial's point count or the set is still short; a point whose x is already present
/// replaces the stored one (sorted_vec's SortedSet::push is "replace"); decoding interpolates over the first
/// <c>need</c> points in x order and takes exact points directly.
/// </remarks>
internal sealed class PolyDecoder
{
    private readonly List<Point>[] sets;

    public PolyDecoder(int messageLength)
    {
        if (messageLength < 0 || messageLength % 2 != 0)
        {
            throw new ArgumentException("message length must be even and non-negative", nameof(messageLength));
        }

        PointsNeeded = (uint)(messageLength / 2);
        this.sets = NewSets();
    }

    private PolyDecoder(uint pointsNeeded, List<Point>[] sets, bool isComplete)
    {
        PointsNeeded = pointsNeeded;
        this.sets = sets;
        IsComplete = isComplete;
    }

    /// <summary>Number of 16-bit words in the message (message length / 2).</summary>
    public uint PointsNeeded { get; }

    /// <summary>Stored but never set by SPQR's decoder; when true, <see cref="TryDecode"/> returns null.</summary>
    public bool IsComplete { get; }

    /// <summary>16 entries of 4-byte records BE16 x ‖ BE16 y, ascending x.</summary>
    public IReadOnlyList<byte[]> Points
    {
        get
        {
            var result = new byte[PolyEncoder.PolyCount][];
            for (int p = 0; p < result.Length; p++)
            {
                var set = this.sets[p];
                var bytes = new byte[set.Count * 4];
                for (int i = 0; i < set.Count; i++)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4 * i), set[i].X);
                    BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan((4 * i) + 2), set[i].Y);
                }

                result[p] = bytes;
            }

            return result;
        }
    }

    /// <summary>Rebuilds a decoder from stored state, with the same validity rules as SPQR's from_pb.</summary>
    public static PolyDecoder FromState(uint pointsNeeded, IReadOnlyList<byte[]> points, bool isComplete)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count != PolyEncoder.PolyCount)
        {
            throw new FormatException("decoder state must hold 16 point sets");
        }

        var sets = NewSets();
        for (int p = 0; p < PolyEncoder.PolyCount; p++)
        {
            var bytes = points[p];
            if (bytes.Length % 4 != 0)
            {
                throw new FormatException("decoder point records must be 4 bytes each");
            }

            for (int i = 0; i < bytes.Length; i += 4)
            {
                Push(sets[p], new Point(
                    BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(i)),
                    BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(i + 2))));
            }
        }

        return new PolyDecoder(pointsNeeded, sets, isComplete);
    }

    public void AddChunk(ushort index, ReadOnlySpan<byte> chunk32)
    {
        if (chunk32.Length != PolyEncoder.ChunkSize)
        {
            throw new ArgumentException("chunk must be 32 bytes", nameof(chunk32));
        }

        for (int p = 0; p < PolyEncoder.PolyCount; p++)
        {
            uint need = NecessaryPoints(p);
            var set = this.sets[p];

            // Low-index points may let us skip interpolation; others only matter while the set is short.
            if (index < need || (uint)set.Count < need)
            {
                Push(set, new Point(index, BinaryPrimitives.ReadUInt16BigEndian(chunk32[(2 * p)..])));
            }
        }
    }

    /// <summary>The message, or null while some polynomial lacks points (or when <see cref="IsComplete"/>).</summary>
    public byte[]? TryDecode()
    {
        if (IsComplete)
        {
            return null;
        }

        for (int p = 0; p < PolyEncoder.PolyCount; p++)
        {
            if ((uint)this.sets[p].Count < NecessaryPoints(p))
            {
                return null;
            }
        }

        var polys = new ushort[PolyEncoder.PolyCount][];
        LagrangeBasis? basis = null;
        var message = new byte[checked((int)PointsNeeded * 2)];
        // Words j = 16x .. 16x + 15 share their point x: one product table serves the polynomials evaluated there.
        Span<ushort> productTable = stackalloc ushort[Gf16.ProductTableLength];
        int tableX = -1;
        for (int j = 0; j < (int)PointsNeeded; j++)
        {
            int p = j % PolyEncoder.PolyCount;
            ushort x = (ushort)(j / PolyEncoder.PolyCount);
            var set = this.sets[p];
            int found = Find(set, x);
            ushort y;
            if (found >= 0)
            {
                y = set[found].Y;
            }
            else
            {
                polys[p] ??= InterpolateFirst(set, (int)NecessaryPoints(p), ref basis);
                if (tableX != x)
                {
                    Gf16.FillProductTable(x, productTable);
                    tableX = x;
                }

                y = GfPoly.Evaluate(polys[p], productTable);
            }

            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2 * j), y);
        }

        return message;
    }

    private uint NecessaryPoints(int poly)
    {
        uint perPoly = PointsNeeded / PolyEncoder.PolyCount;
        return (uint)poly < PointsNeeded % PolyEncoder.PolyCount ? perPoly + 1 : perPoly;
    }

    // Interpolates over the set's first `need` points; the basis is reused while the xs stay the same.
    private static ushort[] InterpolateFirst(List<Point> set, int need, ref LagrangeBasis? basis)
    {
        Span<ushort> xs = need <= 256 ? stackalloc ushort[need] : new ushort[need];
        var ys = new ushort[need];
        for (int i = 0; i < need; i++)
        {
            xs[i] = set[i].X;
            ys[i] = set[i].Y;
        }

        if (basis is null || !basis.Matches(xs))
        {
            basis = LagrangeBasis.For(xs);
        }

        var coefficients = new ushort[need];
        basis.Interpolate(ys, coefficients);
        return coefficients;
    }

    private static List<Point>[] NewSets()
    {
        var sets = new List<Point>[PolyEncoder.PolyCount];
        for (int p = 0; p < sets.Length; p++)
        {
            sets[p] = [];
        }

        return sets;
    }

    private static void Push(List<Point> set, Point point)
    {
        int at = Find(set, point.X);
        if (at >= 0)
        {
            set[at] = point;
        }
        else
        {
            set.Insert(~at, point);
        }
    }

    // Binary search by x: the index if present, else the bitwise complement of the insertion point.
    private static int Find(List<Point> set, ushort x)
    {
        int lo = 0;
        int hi = set.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            ushort mx = set[mid].X;
            if (mx == x)
            {
                return mid;
            }

            if (mx < x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private readonly record struct Point(ushort X, ushort Y);
}
