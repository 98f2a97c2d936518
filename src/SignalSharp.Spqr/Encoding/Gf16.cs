namespace SignalSharp.Spqr.Encoding;

/// <summary>
/// Arithmetic in GF(2^16) with the reduction polynomial x^16 + x^12 + x^3 + x + 1 (0x1100B), the field SPQR's
/// erasure code works in. Addition and subtraction are XOR.
/// </summary>
/// <remarks>
/// Multiplication uses log/antilog tables: the polynomial is primitive, so x (= 2) generates the multiplicative
/// group. The values encoded are public (keys and ciphertexts on the wire), so table lookups leak nothing secret.
/// </remarks>
internal static class Gf16
{
    public const uint Polynomial = 0x1100B;
    private const int Order = 65535;

    // Exp has 2*Order entries so Log[a] + Log[b] never needs a modular reduction.
    private static readonly ushort[] Exp = new ushort[2 * Order];
    private static readonly ushort[] Log = new ushort[65536];

    static Gf16()
    {
        uint v = 1;
        for (int i = 0; i < Order; i++)
        {
            Exp[i] = (ushort)v;
            Exp[i + Order] = (ushort)v;
            Log[v] = (ushort)i;
            v <<= 1;
            if ((v & 0x10000) != 0)
            {
                v ^= Polynomial;
            }
        }
    }

    public static ushort Add(ushort a, ushort b) => (ushort)(a ^ b);

    public static ushort Sub(ushort a, ushort b) => (ushort)(a ^ b);

    public static ushort Mul(ushort a, ushort b)
    {
        if (a == 0 || b == 0)
        {
            return 0;
        }

        return Exp[Log[a] + Log[b]];
    }

    /// <summary>Entries of a table made by <see cref="FillProductTable"/>.</summary>
    public const int ProductTableLength = 512;

    /// <summary>
    /// Fills <paramref name="table"/> so that a·x = table[a &amp; 0xFF] ^ table[256 + (a &gt;&gt; 8)]. Multiplying by a
    /// fixed x is linear over GF(2), so 16 products (x times each bit) and XORs build it; evaluating many polynomials
    /// at one point then reads this 1 KiB instead of the 384 KiB log and antilog tables, which the rest of a send has
    /// pushed out of the cache by the next chunk.
    /// </summary>
    public static void FillProductTable(ushort x, Span<ushort> table)
    {
        if (table.Length != ProductTableLength)
        {
            throw new ArgumentException($"a product table has {ProductTableLength} entries", nameof(table));
        }

        table[0] = 0;
        table[256] = 0;
        for (int bit = 0; bit < 8; bit++)
        {
            table[1 << bit] = Mul((ushort)(1 << bit), x);
            table[256 + (1 << bit)] = Mul((ushort)(1 << (bit + 8)), x);
        }

        for (int i = 3; i < 256; i++)
        {
            int lowest = i & -i;
            if (lowest != i)
            {
                table[i] = (ushort)(table[lowest] ^ table[i ^ lowest]);
                table[256 + i] = (ushort)(table[256 + lowest] ^ table[256 + (i ^ lowest)]);
            }
        }
    }

    /// <summary>a·x with the table <see cref="FillProductTable"/> made for x.</summary>
    public static ushort MulByTable(ushort a, ReadOnlySpan<ushort> table) => (ushort)(table[a & 0xFF] ^ table[256 + (a >> 8)]);

    /// <summary>values[k] *= scalar, with the scalar's logarithm looked up once.</summary>
    public static void Scale(Span<ushort> values, ushort scalar)
    {
        if (scalar == 0)
        {
            values.Clear();
            return;
        }

        int logScalar = Log[scalar];
        for (int k = 0; k < values.Length; k++)
        {
            ushort v = values[k];
            values[k] = v == 0 ? (ushort)0 : Exp[Log[v] + logScalar];
        }
    }

    /// <summary>destination[k] += source[k] * scalar.</summary>
    public static void MultiplyAccumulate(ReadOnlySpan<ushort> source, ushort scalar, Span<ushort> destination)
    {
        if (scalar == 0)
        {
            return;
        }

        int logScalar = Log[scalar];
        for (int k = 0; k < source.Length; k++)
        {
            ushort v = source[k];
            if (v != 0)
            {
                destination[k] ^= Exp[Log[v] + logScalar];
            }
        }
    }

    /// <summary>Carry-less multiply followed by reduction: the textbook definition, kept to check the tables.</summary>
    public static ushort MulSlow(ushort a, ushort b)
    {
        uint product = 0;
        for (int i = 0; i < 16; i++)
        {
            if (((b >> i) & 1) != 0)
            {
                product ^= (uint)a << i;
            }
        }

        for (int bit = 31; bit >= 16; bit--)
        {
            if (((product >> bit) & 1) != 0)
            {
                product ^= Polynomial << (bit - 16);
            }
        }

        return (ushort)product;
    }

    /// <summary>Multiplicative inverse; like SPQR's a^(2^16-2), the inverse of 0 is 0.</summary>
    public static ushort Inverse(ushort a) => a == 0 ? (ushort)0 : Exp[Order - Log[a]];

    /// <summary>a / b computed as a * b^(2^16-2); division by zero yields 0, as in SPQR.</summary>
    public static ushort Div(ushort a, ushort b) => Mul(a, Inverse(b));

    /// <summary>a^e by square-and-multiply (used only to cross-check <see cref="Inverse"/>).</summary>
    public static ushort Pow(ushort a, int e)
    {
        ushort result = 1;
        ushort square = a;
        while (e > 0)
        {
            if ((e & 1) != 0)
            {
                result = MulSlow(result, square);
            }

            square = MulSlow(square, square);
            e >>= 1;
        }

        return result;
    }
}
