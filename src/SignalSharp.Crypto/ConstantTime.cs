using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>Comparisons whose timing does not depend on where secret inputs differ.</summary>
public static class ConstantTime
{
    /// <summary>True when both spans have the same length and content; the length itself is not secret.</summary>
    public static bool Equals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        CryptographicOperations.FixedTimeEquals(left, right);

    /// <summary>True when every byte is zero.</summary>
    public static bool IsZero(ReadOnlySpan<byte> value)
    {
        var accumulator = 0;
        foreach (var b in value)
        {
            accumulator |= b;
        }

        return accumulator == 0;
    }
}
