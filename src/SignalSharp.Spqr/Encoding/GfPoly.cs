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
    public static void Interpolate(ReadOnlySpan<ushort> xs, ReadOnlySpan<ushort> ys, Span<ushort> coefficients) =>
        LagrangeBasis.For(xs).Interpolate(ys, coefficients);

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

    /// <summary>
    /// Evaluates the polynomial at the point whose <see cref="Gf16.FillProductTable"/> table is given (Horner's rule);
    /// for several polynomials at one point.
    /// </summary>
    public static ushort Evaluate(ReadOnlySpan<ushort> coefficients, ReadOnlySpan<ushort> productTable)
    {
        ushort acc = 0;
        for (int k = coefficients.Length - 1; k >= 0; k--)
        {
            acc = (ushort)(Gf16.MulByTable(acc, productTable) ^ coefficients[k]);
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
