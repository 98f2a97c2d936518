using SignalSharp.Crypto.Interop;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>An integer mod ℓ (the ristretto255 group order), 32 bytes little-endian, always canonical.</summary>
internal readonly struct Scalar : IEquatable<Scalar>
{
    public const int Length = 32;

    // ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian.
    private static readonly byte[] Order =
    [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    ];

    private readonly byte[]? bytes;

    private Scalar(byte[] bytes) => this.bytes = bytes;

    public static Scalar Zero => new(new byte[Length]);

    public static Scalar One
    {
        get
        {
            var b = new byte[Length];
            b[0] = 1;
            return new Scalar(b);
        }
    }

    public ReadOnlySpan<byte> Bytes => bytes ?? new byte[Length];

    /// <summary>Reduces 64 uniformly random bytes mod ℓ (dalek's <c>from_bytes_mod_order_wide</c>).</summary>
    public static Scalar FromWide(ReadOnlySpan<byte> wide64)
    {
        if (wide64.Length != 64)
        {
            throw new ArgumentException("a wide scalar is 64 bytes", nameof(wide64));
        }

        Libsodium.EnsureInitialized();
        var r = new byte[Length];
        Libsodium.crypto_core_ristretto255_scalar_reduce(r, wide64);
        return new Scalar(r);
    }

    /// <summary>Parses a canonical encoding; returns false for anything ≥ ℓ.</summary>
    public static bool TryFromCanonical(ReadOnlySpan<byte> b32, out Scalar scalar)
    {
        scalar = default;
        if (b32.Length != Length || !IsCanonical(b32))
        {
            return false;
        }

        scalar = new Scalar(b32.ToArray());
        return true;
    }

    /// <summary>Zero-extends up to 32 little-endian bytes that are known to be below ℓ (e.g. 127-bit weights).</summary>
    public static Scalar FromSmallBytes(ReadOnlySpan<byte> small)
    {
        var b = new byte[Length];
        small.CopyTo(b);
        if (!IsCanonical(b))
        {
            throw new ArgumentException("value is not below the group order", nameof(small));
        }

        return new Scalar(b);
    }

    public static Scalar operator +(Scalar x, Scalar y) => Binary(x, y, Libsodium.crypto_core_ristretto255_scalar_add);

    public static Scalar operator -(Scalar x, Scalar y) => Binary(x, y, Libsodium.crypto_core_ristretto255_scalar_sub);

    public static Scalar operator *(Scalar x, Scalar y) => Binary(x, y, Libsodium.crypto_core_ristretto255_scalar_mul);

    public static Scalar operator -(Scalar x)
    {
        Libsodium.EnsureInitialized();
        var r = new byte[Length];
        Libsodium.crypto_core_ristretto255_scalar_negate(r, x.Bytes);
        return new Scalar(r);
    }

    public static bool operator ==(Scalar x, Scalar y) => x.Equals(y);

    public static bool operator !=(Scalar x, Scalar y) => !x.Equals(y);

    public Scalar Invert()
    {
        Libsodium.EnsureInitialized();
        var r = new byte[Length];
        if (Libsodium.crypto_core_ristretto255_scalar_invert(r, Bytes) != 0)
        {
            throw new InvalidOperationException("zero has no inverse mod ℓ");
        }

        return new Scalar(r);
    }

    public bool IsZero
    {
        get
        {
            var acc = 0;
            foreach (var v in Bytes)
            {
                acc |= v;
            }

            return acc == 0;
        }
    }

    public byte[] ToArray() => Bytes.ToArray();

    public bool Equals(Scalar other) => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Bytes, other.Bytes);

    public override bool Equals(object? obj) => obj is Scalar s && Equals(s);

    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    private static bool IsCanonical(ReadOnlySpan<byte> b32)
    {
        // Constant-time b < ℓ: borrow out of b − ℓ, from the least significant byte up.
        var borrow = 0;
        for (var i = 0; i < Length; i++)
        {
            borrow = (b32[i] - Order[i] - borrow) >> 8 & 1;
        }

        return borrow == 1;
    }

    private delegate void ScalarOp(Span<byte> z, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y);

    private static Scalar Binary(Scalar x, Scalar y, ScalarOp op)
    {
        Libsodium.EnsureInitialized();
        var r = new byte[Length];
        op(r, x.Bytes, y.Bytes);
        return new Scalar(r);
    }
}
