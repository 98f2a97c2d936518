using System.Collections.Concurrent;

namespace SignalSharp.Spqr.Encoding;

/// <summary>
/// The Lagrange basis polynomials ℓ_i for a set of distinct x values, as coefficient rows. Interpolating any y
/// values over those xs is then Σ y_i ℓ_i: n² multiplications, with no inversions. The 16 polynomials of a chunked
/// message usually share their xs (a chunk carries one point of each), so one basis serves all of them.
/// </summary>
internal sealed class LagrangeBasis
{
    // The encoder always interpolates over x = 0..n-1, for the few n that SPQR uses; build each basis once.
    private static readonly ConcurrentDictionary<int, LagrangeBasis> Consecutive = new();

    private readonly ushort[] xs;
    private readonly ushort[] rows; // row i = coefficients of ℓ_i, ascending powers

    private LagrangeBasis(ReadOnlySpan<ushort> xs)
    {
        int n = xs.Length;
        this.xs = xs.ToArray();
        this.rows = new ushort[n * n];
        if (n == 0)
        {
            return;
        }

        // master = Π_j (x - xs[j]), degree n. In characteristic 2, x - a = x + a.
        var master = new ushort[n + 1];
        master[0] = 1;
        for (int j = 0; j < n; j++)
        {
            for (int k = j + 1; k > 0; k--)
            {
                master[k] = (ushort)(master[k - 1] ^ Gf16.Mul(master[k], xs[j]));
            }

            master[0] = Gf16.Mul(master[0], xs[j]);
        }

        for (int i = 0; i < n; i++)
        {
            ushort xi = xs[i];
            var row = this.rows.AsSpan(i * n, n);

            // Synthetic division of master by (x + xi), from the top coefficient down.
            ushort carry = 0;
            for (int k = n; k > 0; k--)
            {
                carry = (ushort)(master[k] ^ Gf16.Mul(carry, xi));
                row[k - 1] = carry;
            }

            ushort denominator = 1;
            for (int j = 0; j < n; j++)
            {
                if (j != i)
                {
                    denominator = Gf16.Mul(denominator, (ushort)(xi ^ xs[j]));
                }
            }

            Gf16.Scale(row, Gf16.Inverse(denominator));
        }
    }

    public int Count => this.xs.Length;

    /// <summary>The basis for x = 0, 1, ..., n-1 (cached).</summary>
    public static LagrangeBasis ForConsecutive(int n) =>
        Consecutive.GetOrAdd(n, static count =>
        {
            var xs = new ushort[count];
            for (int i = 0; i < count; i++)
            {
                xs[i] = (ushort)i;
            }

            return new LagrangeBasis(xs);
        });

    /// <summary>The basis for the given distinct xs.</summary>
    public static LagrangeBasis For(ReadOnlySpan<ushort> xs) => new(xs);

    public bool Matches(ReadOnlySpan<ushort> xs) => xs.SequenceEqual(this.xs);

    /// <summary>coefficients = Σ ys[i] ℓ_i: the polynomial of degree &lt; n through (xs[i], ys[i]).</summary>
    public void Interpolate(ReadOnlySpan<ushort> ys, Span<ushort> coefficients)
    {
        int n = this.xs.Length;
        if (ys.Length != n || coefficients.Length != n)
        {
            throw new ArgumentException("points and coefficient lengths differ");
        }

        coefficients.Clear();
        for (int i = 0; i < n; i++)
        {
            Gf16.MultiplyAccumulate(this.rows.AsSpan(i * n, n), ys[i], coefficients);
        }
    }
}
