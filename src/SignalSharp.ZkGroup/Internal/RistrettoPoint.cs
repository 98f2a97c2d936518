using SignalSharp.ZkGroup.Internal.Curve;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// A ristretto255 group element, held decoded (extended Edwards coordinates) so sums and products never go through
/// an encoding; the 32-byte encoding is computed on first use and kept. default is the identity. Products with a
/// scalar are constant-time; the system's fixed generators carry a precomputed table (<see cref="WithFixedTable"/>).
/// </summary>
internal readonly struct RistrettoPoint : IEquatable<RistrettoPoint>
{
    public const int Length = 32;

    private static readonly Lazy<RistrettoPoint> BasePointLazy = new(() =>
    {
        // RFC 9496's generator encoding.
        var encoding = Convert.FromHexString("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76");
        return Ristretto.TryDecode(encoding, out var p)
            ? new RistrettoPoint(p, encoding).WithFixedTable()
            : throw new InvalidOperationException("the ristretto255 generator does not decode");
    });

    private readonly Holder? holder;

    private RistrettoPoint(in EdPoint point, byte[]? encoding = null, Lazy<FixedBaseTable>? table = null) =>
        holder = new Holder(point, encoding, table);

    public static RistrettoPoint Identity => default;

    public static RistrettoPoint BasePoint => BasePointLazy.Value;

    internal EdPoint Point => holder?.Point ?? EdPoint.Identity;

    public ReadOnlySpan<byte> Bytes => Encoding();

    public bool IsIdentity
    {
        get
        {
            if (holder is null)
            {
                return true;
            }

            // (X : Y) represents the identity exactly when X = 0 or Y = 0 (the identity and its 2-torsion twin).
            return (Fe.IsZeroMask(holder.Point.X) | Fe.IsZeroMask(holder.Point.Y)) != 0;
        }
    }

    internal static RistrettoPoint FromEdPoint(in EdPoint point) => new(point);

    /// <summary>Decodes a canonical encoding (the identity included); false for anything else.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> b32, out RistrettoPoint point)
    {
        point = default;
        if (b32.Length != Length || !Ristretto.TryDecode(b32, out var p))
        {
            return false;
        }

        point = new RistrettoPoint(p, b32.ToArray());
        return true;
    }

    /// <summary>dalek's <c>from_uniform_bytes</c>: the sum of the Elligator maps of both halves.</summary>
    public static RistrettoPoint FromUniformBytes(ReadOnlySpan<byte> h64)
    {
        if (h64.Length != 64)
        {
            throw new ArgumentException("from_uniform_bytes takes 64 bytes", nameof(h64));
        }

        return new RistrettoPoint(Ristretto.FromUniformBytes(h64));
    }

    /// <summary><see cref="FromUniformBytes"/> of each 64-byte block, their square roots computed together.</summary>
    public static RistrettoPoint[] FromUniformBytesMany(ReadOnlySpan<byte> h)
    {
        if (h.Length % 64 != 0)
        {
            throw new ArgumentException("from_uniform_bytes takes 64 bytes each", nameof(h));
        }

        return [.. Ristretto.FromUniformBytesMany(h).Select(p => new RistrettoPoint(p))];
    }

    /// <summary>
    /// <see cref="TryDecode"/> of each encoding, their inverse square roots computed together; an invalid one gives
    /// the identity and false in <paramref name="valid"/>.
    /// </summary>
    public static RistrettoPoint[] DecodeMany(ReadOnlySpan<byte[]> encodings, Span<bool> valid)
    {
        var ed = new EdPoint[encodings.Length];
        Ristretto.DecodeMany(encodings, ed, valid);
        var result = new RistrettoPoint[ed.Length];
        for (var i = 0; i < ed.Length; i++)
        {
            result[i] = valid[i] ? new RistrettoPoint(ed[i], (byte[])encodings[i].Clone()) : Identity;
        }

        return result;
    }

    /// <summary>One Elligator map of a 32-byte field element (top bit ignored), as dalek's single-elligator map.</summary>
    public static RistrettoPoint MapToCurve(ReadOnlySpan<byte> t32)
    {
        if (t32.Length != 32)
        {
            throw new ArgumentException("a single Elligator map takes 32 bytes", nameof(t32));
        }

        return new RistrettoPoint(Ristretto.Map(t32));
    }

    /// <summary><see cref="MapToCurve"/> of each 32-byte block, their square roots computed together.</summary>
    public static RistrettoPoint[] MapToCurveMany(ReadOnlySpan<byte> t)
    {
        if (t.Length % 32 != 0)
        {
            throw new ArgumentException("a single Elligator map takes 32 bytes each", nameof(t));
        }

        return [.. Ristretto.MapMany(t).Select(p => new RistrettoPoint(p))];
    }

    /// <summary>This point with a precomputed table for fast constant-time products, built on first product.</summary>
    public RistrettoPoint WithFixedTable()
    {
        var p = Point;
        return new RistrettoPoint(p, holder?.Encoded, new Lazy<FixedBaseTable>(() => new FixedBaseTable(p)));
    }

    public static RistrettoPoint operator +(RistrettoPoint p, RistrettoPoint q) => new(EdPoint.Add(p.Point, q.Point));

    public static RistrettoPoint operator -(RistrettoPoint p, RistrettoPoint q) => new(EdPoint.Sub(p.Point, q.Point));

    public static RistrettoPoint operator -(RistrettoPoint p) => new(EdPoint.Neg(p.Point));

    /// <summary>s·P in constant time (the scalar is usually secret).</summary>
    public static RistrettoPoint operator *(Scalar s, RistrettoPoint p) =>
        p.holder?.Table is { } table ? new(table.Value.Mul(s.Bytes)) : new(ScalarMul.Mul(s, p.Point));

    public static RistrettoPoint operator *(RistrettoPoint p, Scalar s) => s * p;

    public static bool operator ==(RistrettoPoint p, RistrettoPoint q) => p.Equals(q);

    public static bool operator !=(RistrettoPoint p, RistrettoPoint q) => !p.Equals(q);

    /// <summary>
    /// s·points[i] for every i in constant time, eight points per vector instruction where the CPU has 512-bit
    /// vectors (the same scalar, so every lane follows the same digit sequence), one at a time elsewhere.
    /// </summary>
    public static RistrettoPoint[] MulMany(Scalar s, ReadOnlySpan<RistrettoPoint> points)
    {
        var result = new RistrettoPoint[points.Length];
        if (!FeVec.IsAccelerated || points.Length < MinVectorBatch)
        {
            for (var i = 0; i < points.Length; i++)
            {
                result[i] = s * points[i];
            }

            return result;
        }

        var ed = new EdPoint[points.Length];
        for (var i = 0; i < ed.Length; i++)
        {
            ed[i] = points[i].Point;
        }

        var products = EdPointVec.MulMany(s, ed);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new RistrettoPoint(products[i]);
        }

        return result;
    }

    // Below this many points a half-empty vector batch costs more than the points one at a time.
    private const int MinVectorBatch = 3;

    /// <summary>s·B for the ristretto255 base point B.</summary>
    public static RistrettoPoint MulBase(Scalar s) => s * BasePoint;

    /// <summary>Σ scalars[i]·points[i] in constant time, using the fixed points' tables.</summary>
    public static RistrettoPoint Multiscalar(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
    {
        var sum = EdPoint.Identity;
        var varScalars = new List<Scalar>(points.Length);
        var varPoints = new List<EdPoint>(points.Length);
        for (var i = 0; i < points.Length; i++)
        {
            if (points[i].holder?.Table is { } table)
            {
                sum = EdPoint.Add(sum, table.Value.Mul(scalars[i].Bytes));
            }
            else
            {
                varScalars.Add(scalars[i]);
                varPoints.Add(points[i].Point);
            }
        }

        if (varPoints.Count > 0)
        {
            sum = EdPoint.Add(sum, ScalarMul.Multiscalar(varScalars.ToArray(), varPoints.ToArray()));
        }

        return new RistrettoPoint(sum);
    }

    /// <summary>
    /// Σ scalars[i]·points[i] in variable time: only for public scalars (verifying a proof, the endorsement weights).
    /// </summary>
    public static RistrettoPoint VartimeMultiscalar(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<RistrettoPoint> points)
    {
        var ed = new EdPoint[points.Length];
        for (var i = 0; i < ed.Length; i++)
        {
            ed[i] = points[i].Point;
        }

        return new RistrettoPoint(ScalarMul.VartimeMultiscalar(scalars, ed));
    }

    /// <summary>The encodings of 2·P for each P.</summary>
    public static byte[][] DoubleAndEncodeBatch(ReadOnlySpan<RistrettoPoint> points)
    {
        var ed = new EdPoint[points.Length];
        for (var i = 0; i < ed.Length; i++)
        {
            ed[i] = points[i].Point;
        }

        return Ristretto.DoubleAndEncodeBatch(ed);
    }

    public byte[] ToArray() => Bytes.ToArray();

    public bool Equals(RistrettoPoint other)
    {
        var p = Point;
        var q = other.Point;
        return Ristretto.EqMask(p, q) != 0;
    }

    public override bool Equals(object? obj) => obj is RistrettoPoint p && Equals(p);

    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    private byte[] Encoding()
    {
        if (holder is null)
        {
            return new byte[Length];
        }

        // Two threads may both encode; they write equal bytes, so the race is harmless. The volatile write
        // publishes the filled array, never an empty one, on weakly ordered CPUs too.
        if (Volatile.Read(ref holder.Encoded) is { } cached)
        {
            return cached;
        }

        var b = new byte[Length];
        Ristretto.Encode(holder.Point, b);
        Volatile.Write(ref holder.Encoded, b);
        return b;
    }

    private sealed class Holder(in EdPoint point, byte[]? encoded, Lazy<FixedBaseTable>? table)
    {
        public readonly EdPoint Point = point;
        public readonly Lazy<FixedBaseTable>? Table = table;
        public byte[]? Encoded = encoded;
    }
}
