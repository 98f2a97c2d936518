using System.Security.Cryptography;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>Lizard: an injective 16-byte → point encoding that the inverse Elligator map can undo.</summary>
internal static class Lizard
{
    public static RistrettoPoint Encode(ReadOnlySpan<byte> data16) => RistrettoPoint.MapToCurve(FieldBytes(data16));

    /// <summary>The field element lizard maps: SHA-256 of the data with the data spliced into bytes 8..24.</summary>
    public static byte[] FieldBytes(ReadOnlySpan<byte> data16)
    {
        if (data16.Length != 16)
        {
            throw new ArgumentException("lizard encodes 16 bytes", nameof(data16));
        }

        var fe = SHA256.HashData(data16);
        data16.CopyTo(fe.AsSpan(8));
        fe[0] &= 0xFE;
        fe[31] &= 0x3F;
        return fe;
    }

    /// <summary>The unique 16 bytes whose encoding is this point, or null when no or several candidates match.</summary>
    public static byte[]? Decode(RistrettoPoint point)
    {
        byte[]? found = null;
        var matches = 0;
        foreach (var candidate in Elligator.InverseCandidates(point))
        {
            if (candidate is null)
            {
                continue;
            }

            var data = candidate.AsSpan(8, 16);
            if (FieldBytes(data).AsSpan().SequenceEqual(candidate))
            {
                found = data.ToArray();
                matches++;
            }
        }

        return matches == 1 ? found : null;
    }
}
