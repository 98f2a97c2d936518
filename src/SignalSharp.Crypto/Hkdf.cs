using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>HKDF-SHA256 (RFC 5869) on the BCL. An empty salt means 32 zero bytes, as the RFC specifies.</summary>
public static class Hkdf
{
    public static byte[] DeriveSecrets(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var output = new byte[length];
        DeriveSecrets(ikm, salt, info, output);
        return output;
    }

    public static void DeriveSecrets(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, output, salt, info);
}
