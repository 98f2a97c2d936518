namespace SignalSharp.ZkGroup.Internal.Curve;

/// <summary>
/// Scalar multiplication on <see cref="EdPoint"/>. The constant-time routines (for secret scalars: group keys,
/// credential blinding, proof nonces) use signed radix-16 digits and a table scan that touches every entry; the
/// variable-time one (<see cref="VartimeMultiscalar"/>, for public scalars only: proof verification) uses width-5
/// NAF digits and branches on them.
/// </summary>
internal static class ScalarMul
{
    private const int NafWidth = 5;
    private const int NafTableSize = 1 << (NafWidth - 2);

    /// <summary>Σ scalars[i]·points[i] in constant time (every scalar secret); scalars are 32-byte canonical.</summary>
    public static EdPoint Multiscalar(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<EdPoint> points)
    {
        var n = points.Length;
        var tables = new CachedPoint[n * 8];
        var digits = new sbyte[n * 64];
        for (var j = 0; j < n; j++)
        {
            FillMultiples(points[j], tables.AsSpan(j * 8, 8));
            Radix16(scalars[j].Bytes, digits.AsSpan(j * 64, 64));
        }

        var q = EdPoint.Identity;
        for (var i = 63; i >= 0; i--)
        {
            if (i != 63)
            {
                q = EdPoint.DoubleTimes(q, 4);
            }

            for (var j = 0; j < n; j++)
            {
                var entry = Select(tables.AsSpan(j * 8, 8), digits[(j * 64) + i]);
                q = EdPoint.Add(q, entry);
            }
        }

        return q;
    }

    public static EdPoint Mul(Scalar scalar, in EdPoint point) => Multiscalar([scalar], [point]);

    /// <summary>
    /// Σ scalars[i]·points[i] in variable time: only for scalars and points that are public (proof verification,
    /// the endorsement weights), since the sequence of additions reveals the scalars' NAF digits.
    /// </summary>
    public static EdPoint VartimeMultiscalar(ReadOnlySpan<Scalar> scalars, ReadOnlySpan<EdPoint> points)
    {
        var n = points.Length;
        var tables = new CachedPoint[n * NafTableSize];
        var nafs = new sbyte[n * 256];
        var top = -1;
        for (var j = 0; j < n; j++)
        {
            OddMultiples(points[j], tables.AsSpan(j * NafTableSize, NafTableSize));
            var naf = nafs.AsSpan(j * 256, 256);
            Naf(scalars[j].Bytes, NafWidth, naf);
            for (var i = 255; i > top; i--)
            {
                if (naf[i] != 0)
                {
                    top = i;
                    break;
                }
            }
        }

        var q = EdPoint.Identity;
        for (var i = top; i >= 0; i--)
        {
            q = EdPoint.Double(q);
            for (var j = 0; j < n; j++)
            {
                int d = nafs[(j * 256) + i];
                if (d > 0)
                {
                    q = EdPoint.Add(q, tables[(j * NafTableSize) + (d >> 1)]);
                }
                else if (d < 0)
                {
                    q = EdPoint.Sub(q, tables[(j * NafTableSize) + (-d >> 1)]);
                }
            }
        }

        return q;
    }

    /// <summary>
    /// Signed radix-16 digits of a scalar below 2^255: 64 digits in [−8, 8) (the last in [−8, 8]) with
    /// Σ digits[i]·16^i = scalar. Branch-free.
    /// </summary>
    public static void Radix16(ReadOnlySpan<byte> scalar, Span<sbyte> digits)
    {
        for (var i = 0; i < 32; i++)
        {
            digits[2 * i] = (sbyte)(scalar[i] & 15);
            digits[(2 * i) + 1] = (sbyte)((scalar[i] >> 4) & 15);
        }

        // Move each digit from [0, 16) to [−8, 8) and carry the difference upward.
        for (var i = 0; i < 63; i++)
        {
            var carry = (digits[i] + 8) >> 4;
            digits[i] -= (sbyte)(carry << 4);
            digits[i + 1] += (sbyte)carry;
        }
    }

    /// <summary>
    /// Width-w NAF: digits odd or zero, |digit| &lt; 2^(w−1), any two nonzero digits at least w apart, and
    /// Σ naf[i]·2^i = scalar. Variable-time.
    /// </summary>
    public static void Naf(ReadOnlySpan<byte> scalar, int w, Span<sbyte> naf)
    {
        Span<ulong> x = stackalloc ulong[5];
        for (var i = 0; i < 4; i++)
        {
            x[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(scalar[(8 * i)..]);
        }

        x[4] = 0;
        naf.Clear();
        var width = 1 << w;
        var mask = (ulong)width - 1;
        var carry = 0;
        var pos = 0;
        while (pos < 256)
        {
            var word = pos >> 6;
            var bit = pos & 63;
            var bits = x[word] >> bit;
            if (bit + w > 64)
            {
                bits |= x[word + 1] << (64 - bit);
            }

            var window = carry + (int)(bits & mask);
            if ((window & 1) == 0)
            {
                // An even window leaves a zero digit here; the carry stays as it is (bit and carry agree).
                pos++;
                continue;
            }

            if (window < width / 2)
            {
                carry = 0;
                naf[pos] = (sbyte)window;
            }
            else
            {
                carry = 1;
                naf[pos] = (sbyte)(window - width);
            }

            pos += w;
        }
    }

    /// <summary>table[k] = (k + 1)·P for k in 0..7.</summary>
    internal static void FillMultiples(in EdPoint p, Span<CachedPoint> table)
    {
        table[0] = p.ToCached();
        var acc = p;
        for (var k = 1; k < 8; k++)
        {
            acc = EdPoint.Add(acc, table[0]);
            table[k] = acc.ToCached();
        }
    }

    /// <summary>table[k] = (2k + 1)·P.</summary>
    private static void OddMultiples(in EdPoint p, Span<CachedPoint> table)
    {
        var p2 = EdPoint.Double(p).ToCached();
        var acc = p;
        table[0] = p.ToCached();
        for (var k = 1; k < table.Length; k++)
        {
            acc = EdPoint.Add(acc, p2);
            table[k] = acc.ToCached();
        }
    }

    /// <summary>digit·P from table[k] = (k + 1)·P, digit in [−8, 8], reading all eight entries.</summary>
    internal static CachedPoint Select(ReadOnlySpan<CachedPoint> table, sbyte digit)
    {
        var d = (int)digit;
        var negative = (ulong)((uint)d >> 31);
        var abs = (ulong)(uint)(d ^ -(int)negative) + negative;
        var result = CachedPoint.Identity;
        for (var k = 0; k < 8; k++)
        {
            result.Assign(table[k], EqualMask(abs, (ulong)k + 1));
        }

        result.CondNegate(0 - negative);
        return result;
    }

    /// <summary>All ones when a = b, else zero, without a branch.</summary>
    internal static ulong EqualMask(ulong a, ulong b)
    {
        var x = a ^ b;
        return ((x | (0 - x)) >> 63) - 1;
    }
}
