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

    public static byte[] Sign(ReadOnlySpan<byte> clampedPrivate, ReadOnlySpan<byte> message)
    {
        Libsodium.EnsureInitialized();
        Span<byte> random = stackalloc byte[64];
        RandomNumberGenerator.Fill(random);

        Span<byte> wide = stackalloc byte[64];
        Span<byte> a = stackalloc byte[32];
        Span<byte> publicEd = stackalloc byte[32];
        Span<byte> r = stackalloc byte[32];
        Span<byte> h = stackalloc byte[32];
        var signature = new byte[SignatureLength];
        try
        {
            // a = k mod L; the clamped k is a multiple of 8 below 2^255, so a·B equals k·B.
            wide.Clear();
            clampedPrivate.CopyTo(wide);
            Libsodium.crypto_core_ed25519_scalar_reduce(a, wide);
            Libsodium.crypto_scalarmult_ed25519_base_noclamp(publicEd, a);

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

        // libsodium's variable-base multiplication only takes points of the prime-order subgroup, which every
        // key libsignal generates is; a public key with a torsion component is rejected here.
        if (Libsodium.crypto_core_ed25519_is_valid_point(publicEd) != 1)
        {
            return false;
        }

        var capitalR = signature[..32];
        Span<byte> h = stackalloc byte[32];
        ChallengeScalar(capitalR, publicEd, message, h);

        // curve25519-dalek reads s mod L (Scalar::from_bytes_mod_order), so reduce before multiplying.
        Span<byte> sReduced = stackalloc byte[32];
        Libsodium.crypto_core_ed25519_scalar_reduce(sReduced, s);

        Span<byte> sB = stackalloc byte[32];
        Span<byte> hA = stackalloc byte[32];
        Span<byte> check = stackalloc byte[32];

        // A return of -1 here only means the product is the identity, whose encoding is still written.
        Libsodium.crypto_scalarmult_ed25519_base_noclamp(sB, sReduced);
        Libsodium.crypto_scalarmult_ed25519_noclamp(hA, h, publicEd);
        if (Libsodium.crypto_core_ed25519_sub(check, sB, hA) != 0)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(check, capitalR);
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
