using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>HMAC-SHA256 helpers, including the truncated MACs Signal puts on messages (8 or 10 bytes).</summary>
public static class HmacSha256Util
{
    public const int MacLength = 32;

    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) =>
        HMACSHA256.HashData(key, data, destination);

    /// <summary>Checks a MAC that may be a truncated prefix of the full 32 bytes, in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> mac)
    {
        if (mac.IsEmpty || mac.Length > MacLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        HMACSHA256.HashData(key, data, expected);
        return CryptographicOperations.FixedTimeEquals(expected[..mac.Length], mac);
    }
}
