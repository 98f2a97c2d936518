using System.Buffers.Binary;

namespace SignalSharp.Spqr.Encoding;

/// <summary>
/// Polynomials over GF(2^16) as coefficient arrays in ascending powers: Lagrange interpolation, evaluation, and the
/// big-endian 16-bit layout SPQR stores them in.
/// </summary>
internal static class GfPoly
{
    /// <summary>
    /// Writes into <paramref name="coefficients"/> (length = number of points) the unique polynomial of degree &lt; n
    /// through the points (xs[i], ys[i]); the xs must be distinct.
    /// </summary>
    public static void Interpolate(ReadOnlySpan<ushort> xs, ReadOnlySpan<ushort> ys, Span<ushort> coefficients)
    {
        int n = xs.Length;
        if (ys.Length != n || coefficients.Length != n)
        {
            throw new ArgumentException("points and coefficient lengths differ");
        }

        coefficients.Clear();
        if (n == 0)
        {
            return;
        }

        // master = prod_j (x - xs[j]), degree n, n+1 coefficients; quotient = master / (x - xs[i]), degree n-1.
        Span<ushort> master = n < 256 ? stackalloc ushort[n + 1] : new ushort[n + 1];
        Span<ushort> quotient = n < 256 ? stackalloc ushort[n] : new ushort[n];
        master.Clear();
        master[0] = 1;
        for (int j = 0; j < n; j++)
        {
            // Multiply the degree-j polynomial in master[0..j] by (x + xs[j]); in characteristic 2, minus is plus.
            for (int k = j + 1; k > 0; k--)
            {
                master[k] = (ushort)(master[k - 1] ^ Gf16.Mul(master[k], xs[j]));
            }

            master[0] = Gf16.Mul(master[0], xs[j]);
        }

        for (int i = 0; i < n; i++)
        {
            ushort xi = xs[i];

            // Synthetic division of master by (x + xi), from the top coefficient down.
            ushort carry = 0;
            for (int k = n; k > 0; k--)
            {
                carry = (ushort)(master[k] ^ Gf16.Mul(carry, xi));
                quotient[k - 1] = carry;
            }

            ushort denominator = 1;
            for (int j = 0; j < n; j++)
            {
                if (j != i)
                {
                    denominator = Gf16.Mul(denominator, (ushort)(xi ^ xs[j]));
                }
            }

            ushort scale = Gf16.Div(ys[i], denominator);
            if (scale == 0)
            {
                continue;
            }

            for (int k = 0; k < n; k++)
            {
                coefficients[k] ^= Gf16.Mul(quotient[k], scale);
            }
        }
    }

    /// <summary>Evaluates the polynomial at x (Horner's rule).</summary>
    public static ushort Evaluate(ReadOnlySpan<ushort> coefficients, ushort x)
    {
        ushort acc = 0;
        for (int k = coefficients.Length - 1; k >= 0; k--)
        {
            acc = (ushort)(Gf16.Mul(acc, x) ^ coefficients[k]);
        }

        return acc;
    }

    public static byte[] ToBigEndian(ReadOnlySpan<ushort> values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2 * i), values[i]);
        }

        return bytes;
    }

    public static ushort[] FromBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 2 != 0)
        {
            throw new FormatException("a run of 16-bit values has odd length");
        }

        var values = new ushort[bytes.Length / 2];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]);
        }

        return values;
    }
}
