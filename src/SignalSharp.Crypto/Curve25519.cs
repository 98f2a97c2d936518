using Org.BouncyCastle.Math.EC.Rfc7748;
using SignalSharp.Crypto.Interop;

namespace SignalSharp.Crypto;

/// <summary>
/// Montgomery-form helpers shared by the key classes: clamping, X25519 (libsodium), and the birational map to
/// Edwards form (on BouncyCastle's field arithmetic) that XEdDSA and libsignal's canonical-key check need.
/// </summary>
internal static class Curve25519
{
    public const int KeyLength = 32;

    public static void Clamp(Span<byte> scalar)
    {
        scalar[0] &= 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
    }

    public static void PublicFromPrivate(ReadOnlySpan<byte> clampedPrivate, Span<byte> publicKey)
    {
        Libsodium.EnsureInitialized();
        if (Libsodium.crypto_scalarmult_curve25519_base(publicKey, clampedPrivate) != 0)
        {
            throw new InvalidKeyException("private key yields no public key");
        }
    }

    /// <summary>X25519; false when the shared point is all zeros (a low-order peer key). The high bit of u is ignored.</summary>
    public static bool Agree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey, Span<byte> shared)
    {
        Libsodium.EnsureInitialized();
        return Libsodium.crypto_scalarmult_curve25519(shared, privateKey, publicKey) == 0;
    }

    /// <summary>
    /// Maps Montgomery u to the Edwards y encoding with the given sign bit: y = (u − 1)/(u + 1). The high bit of u
    /// is ignored, as curve25519-dalek's field decoding does. False when u = −1, where the map is undefined.
    /// </summary>
    public static bool MontgomeryToEdwards(ReadOnlySpan<byte> u, int signBit, Span<byte> edwards)
    {
        var fu = X25519Field.Create();
        X25519Field.Decode255(u, fu);
        var numerator = X25519Field.Create();
        var denominator = X25519Field.Create();
        X25519Field.Copy(fu, 0, numerator, 0);
        X25519Field.SubOne(numerator);
        X25519Field.Copy(fu, 0, denominator, 0);
        X25519Field.AddOne(denominator);
        X25519Field.Normalize(denominator);
        if (X25519Field.IsZeroVar(denominator))
        {
            return false;
        }

        var y = X25519Field.Create();
        X25519Field.InvVar(denominator, y);
        X25519Field.Mul(numerator, y, y);
        X25519Field.Normalize(y);
        X25519Field.Encode(y, edwards);
        edwards[31] = (byte)((edwards[31] & 0x7F) | ((signBit & 1) << 7));
        return true;
    }

    /// <summary>
    /// libsignal's <c>PublicKey::is_canonical</c>: the encoding is below p with the high bit clear, and the point
    /// (mapped to Edwards with sign 0) exists and has no small-order component.
    /// </summary>
    public static bool IsCanonical(ReadOnlySpan<byte> u)
    {
        if (!IsBelowFieldPrime(u))
        {
            return false;
        }

        Span<byte> edwards = stackalloc byte[32];
        if (!MontgomeryToEdwards(u, 0, edwards))
        {
            return false;
        }

        Libsodium.EnsureInitialized();
        return Libsodium.crypto_core_ed25519_is_valid_point(edwards) == 1;
    }

    private static bool IsBelowFieldPrime(ReadOnlySpan<byte> u)
    {
        if ((u[31] & 0x80) != 0)
        {
            return false;
        }

        // Values p..2^255-1 are 0x7F, 30 × 0xFF and a low byte ≥ 0xED (little-endian).
        if (u[31] != 0x7F || u[0] < 0xED)
        {
            return true;
        }

        for (var i = 1; i < 31; i++)
        {
            if (u[i] != 0xFF)
            {
                return true;
            }
        }

        return false;
    }
}
