using SignalSharp.Crypto.Interop;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// libsodium's ristretto255 on 32-byte encodings: the plain, independent implementation that the tests compare
/// <see cref="RistrettoPoint"/>'s own arithmetic with (every call decodes and re-encodes, so it is slow, and nothing
/// in the library uses it). libsodium reports an identity product as rc −1; that is mapped back to the identity.
/// </summary>
internal static class SodiumRistretto
{
    public static byte[] Add(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q) => Checked(p, q, Libsodium.crypto_core_ristretto255_add);

    public static byte[] Sub(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q) => Checked(p, q, Libsodium.crypto_core_ristretto255_sub);

    public static byte[] Mul(Scalar s, ReadOnlySpan<byte> p)
    {
        Libsodium.EnsureInitialized();
        var r = new byte[32];
        if (p.IndexOfAnyExcept((byte)0) < 0 || Libsodium.crypto_scalarmult_ristretto255(r, s.Bytes, p) != 0)
        {
            return new byte[32];
        }

        return r;
    }

    public static byte[] MulBase(Scalar s)
    {
        Libsodium.EnsureInitialized();
        var r = new byte[32];
        return Libsodium.crypto_scalarmult_ristretto255_base(r, s.Bytes) != 0 ? new byte[32] : r;
    }

    public static byte[] FromHash(ReadOnlySpan<byte> h64)
    {
        Libsodium.EnsureInitialized();
        var r = new byte[32];
        if (Libsodium.crypto_core_ristretto255_from_hash(r, h64) != 0)
        {
            throw new InvalidOperationException("crypto_core_ristretto255_from_hash failed");
        }

        return r;
    }

    public static bool IsValid(ReadOnlySpan<byte> p)
    {
        Libsodium.EnsureInitialized();
        return Libsodium.crypto_core_ristretto255_is_valid_point(p) == 1 || p.IndexOfAnyExcept((byte)0) < 0;
    }

    private delegate int PointOp(Span<byte> r, ReadOnlySpan<byte> p, ReadOnlySpan<byte> q);

    private static byte[] Checked(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q, PointOp op)
    {
        Libsodium.EnsureInitialized();
        var r = new byte[32];
        if (op(r, p, q) != 0)
        {
            throw new InvalidOperationException("libsodium rejected a ristretto255 point");
        }

        return r;
    }
}
