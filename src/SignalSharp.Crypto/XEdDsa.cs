using System.Security.Cryptography;
using SignalSharp.Crypto.Interop;

namespace SignalSharp.Crypto;

/// <summary>
/// XEdDSA as libsignal implements it (rust/core curve25519.rs), which departs from the published XEdDSA spec: the
/// clamped private scalar is used as is (never negated to force a positive Edwards key) and the sign bit of the
/// Edwards public key travels in bit 7 of the last signature byte. Signatures are 64 bytes, R ‖ s.
/// </summary>
internal static class XEdDsa
{
    public const int SignatureLength = 64;

    /// <summary>The Edwards public key A = (k mod L)·B of a clamped private key (public data, cacheable).</summary>
    public static byte[] EdwardsPublicKey(ReadOnlySpan<byte> clampedPrivate)
    {
        Libsodium.EnsureInitialized();
        Span<byte> wide = stackalloc byte[64];
        Span<byte> a = stackalloc byte[32];
        try
        {
            wide.Clear();
            clampedPrivate.CopyTo(wide);
            Libsodium.crypto_core_ed25519_scalar_reduce(a, wide);
            var publicEd = new byte[32];
            Libsodium.crypto_scalarmult_ed25519_base_noclamp(publicEd, a);
            return publicEd;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wide);
            CryptographicOperations.ZeroMemory(a);
        }
    }

    /// <param name="clampedPrivate">the Curve25519 private key k.</param>
    /// <param name="publicEd">its <see cref="EdwardsPublicKey"/>.</param>
    /// <param name="message">the message.</param>
    public static byte[] Sign(ReadOnlySpan<byte> clampedPrivate, ReadOnlySpan<byte> publicEd, ReadOnlySpan<byte> message)
    {
        Libsodium.EnsureInitialized();
        Span<byte> random = stackalloc byte[64];
        RandomNumberGenerator.Fill(random);

        Span<byte> wide = stackalloc byte[64];
        Span<byte> a = stackalloc byte[32];
        Span<byte> r = stackalloc byte[32];
        Span<byte> h = stackalloc byte[32];
        var signature = new byte[SignatureLength];
        try
        {
            // a = k mod L; the clamped k is a multiple of 8 below 2^255, so a·B equals k·B.
            wide.Clear();
            clampedPrivate.CopyTo(wide);
            Libsodium.crypto_core_ed25519_scalar_reduce(a, wide);

            using (var nonceHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512))
            {
                Span<byte> prefix = stackalloc byte[32];
                prefix.Fill(0xFF);
                prefix[0] = 0xFE;
                nonceHash.AppendData(prefix);
                nonceHash.AppendData(clampedPrivate);
                nonceHash.AppendData(message);
                nonceHash.AppendData(random);
                nonceHash.GetHashAndReset(wide);
            }

            Libsodium.crypto_core_ed25519_scalar_reduce(r, wide);
            var capitalR = signature.AsSpan(0, 32);
            Libsodium.crypto_scalarmult_ed25519_base_noclamp(capitalR, r);

            ChallengeScalar(capitalR, publicEd, message, h);

            var s = signature.AsSpan(32, 32);
            Libsodium.crypto_core_ed25519_scalar_mul(s, h, a);
            Libsodium.crypto_core_ed25519_scalar_add(s, s, r);
            signature[63] = (byte)((signature[63] & 0x7F) | (publicEd[31] & 0x80));
            return signature;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wide);
            CryptographicOperations.ZeroMemory(a);
            CryptographicOperations.ZeroMemory(r);
            CryptographicOperations.ZeroMemory(random);
        }
    }

    /// <summary>
    /// libsignal's check: A = Edwards(u, sign bit of sig[63]); s = sig[32..] with bit 255 cleared, rejected if
    /// s ≥ 2^253, then taken mod L (as curve25519-dalek's from_bytes_mod_order does); valid iff encode(s·B − h·A) = R.
    /// That equation is what libsodium's Ed25519 verification computes once A and the reduced s are passed in. It
    /// also refuses small-order R and small-order A, which no honest signer or libsignal key produces.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> montgomeryPublic, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength || montgomeryPublic.Length != Curve25519.KeyLength)
        {
            return false;
        }

        Span<byte> publicEd = stackalloc byte[32];
        if (!Curve25519.MontgomeryToEdwards(montgomeryPublic, signature[63] >> 7, publicEd))
        {
            return false;
        }

        Span<byte> s = stackalloc byte[64];
        s.Clear();
        signature.Slice(32, 32).CopyTo(s);
        s[31] &= 0x7F;
        if ((s[31] & 0xE0) != 0)
        {
            return false;
        }

        Libsodium.EnsureInitialized();
        Span<byte> standard = stackalloc byte[SignatureLength];
        signature[..32].CopyTo(standard);
        Libsodium.crypto_core_ed25519_scalar_reduce(standard[32..], s);
        return Libsodium.crypto_sign_ed25519_verify_detached(standard, message, (ulong)message.Length, publicEd) == 0;
    }

    private static void ChallengeScalar(ReadOnlySpan<byte> capitalR, ReadOnlySpan<byte> publicEd, ReadOnlySpan<byte> message, Span<byte> h)
    {
        Span<byte> digest = stackalloc byte[64];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        hash.AppendData(capitalR);
        hash.AppendData(publicEd);
        hash.AppendData(message);
        hash.GetHashAndReset(digest);
        Libsodium.crypto_core_ed25519_scalar_reduce(h, digest);
    }
}
