using System.Security.Cryptography;
using SignalSharp.Crypto.Interop;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// A ristretto255 group element held as its canonical 32-byte encoding; arithmetic goes through libsodium. The
/// identity is 32 zero bytes, which libsodium's add/sub accept but its scalar multiplications report as rc −1:
/// that rc is mapped back to the identity here because every held point is valid by construction.
/// </summary>
internal readonly struct RistrettoPoint : IEquatable<RistrettoPoint>
{
    public const int Length = 32;

    private static readonly Lazy<RistrettoPoint> BasePointLazy = new(() => MulBase(Scalar.One));

    private readonly byte[]? bytes;

    private RistrettoPoint(byte[] bytes) => this.bytes = bytes;

    public static RistrettoPoint Identity => new(new byte[Length]);

    public static RistrettoPoint BasePoint => BasePointLazy.Value;

    public ReadOnlySpan<byte> Bytes => bytes ?? new byte[Length];

    public bool IsIdentity
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

    /// <summary>Decodes a canonical encoding (the identity included); false for anything else.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> b32, out RistrettoPoint point)
    {
        point = default;
        if (b32.Length != Length)
        {
            return false;
        }

        Libsodium.EnsureInitialized();
        if (Libsodium.crypto_core_ristretto255_is_valid_point(b32) != 1 && !new RistrettoPoint(b32.ToArray()).IsIdentity)
        {
            return false;
        }

        point = new RistrettoPoint(b32.ToArray());
        return true;
    }

    /// <summary>dalek's <c>from_uniform_bytes</c>: the sum of the Elligator maps of both halves.</summary>
    public static RistrettoPoint FromUniformBytes(ReadOnlySpan<byte> h64)
    {
        if (h64.Length != 64)
        {
            throw new ArgumentException("from_uniform_bytes takes 64 bytes", nameof(h64));
        }

        Libsodium.EnsureInitialized();
        var r = new byte[Length];
        if (Libsodium.crypto_core_ristretto255_from_hash(r, h64) != 0)
        {
            throw new InvalidOperationException("crypto_core_ristretto255_from_hash failed");
        }

        return new RistrettoPoint(r);
    }

    /// <summary>
    /// One Elligator map of a 32-byte field element (top bit ignored), as dalek's single-elligator map. libsodium only
    /// exports the two-map sum, and MAP(0) is the identity, so MAP(t) = from_hash(t ‖ 0^32).
    /// </summary>
    public static RistrettoPoint MapToCurve(ReadOnlySpan<byte> t32)
    {
        if (t32.Length != 32)
        {
            throw new ArgumentException("a single Elligator map takes 32 bytes", nameof(t32));
        }

        Span<byte> h = stackalloc byte[64];
        h.Clear();
        t32.CopyTo(h);
        return FromUniformBytes(h);
    }

    public static RistrettoPoint operator +(RistrettoPoint p, RistrettoPoint q)
    {
        Libsodium.EnsureInitialized();
        var r = new byte[Length];
        if (Libsodium.crypto_core_ristretto255_add(r, p.Bytes, q.Bytes) != 0)
        {
            throw new InvalidOperationException("ristretto255 add rejected a held point");
        }

        return new RistrettoPoint(r);
    }

    public static RistrettoPoint operator -(RistrettoPoint p, RistrettoPoint q)
    {
        Libsodium.EnsureInitialized();
        var r = new byte[Length];
        if (Libsodium.crypto_core_ristretto255_sub(r, p.Bytes, q.Bytes) != 0)
        {
            throw new InvalidOperationException("ristretto255 sub rejected a held point");
        }

        return new RistrettoPoint(r);
    }

    public static RistrettoPoint operator -(RistrettoPoint p) => Identity - p;

    public static RistrettoPoint operator *(Scalar s, RistrettoPoint p)
    {
        Libsodium.EnsureInitialized();
        var r = new byte[Length];
        if (p.IsIdentity)
        {
            return new RistrettoPoint(r);
        }

        // rc −1 here can only mean an identity product: p is a valid non-identity point by construction.
        if (Libsodium.crypto_scalarmult_ristretto255(r, s.Bytes, p.Bytes) != 0)
        {
            return Identity;
        }

        return new RistrettoPoint(r);
    }

    public static RistrettoPoint operator *(RistrettoPoint p, Scalar s) => s * p;

    public static bool operator ==(RistrettoPoint p, RistrettoPoint q) => p.Equals(q);

    public static bool operator !=(RistrettoPoint p, RistrettoPoint q) => !p.Equals(q);

    /// <summary>s·B for the ristretto255 base point B.</summary>
    public static RistrettoPoint MulBase(Scalar s)
    {
        Libsodium.EnsureInitialized();
        var r = new byte[Length];
        return Libsodium.crypto_scalarmult_ristretto255_base(r, s.Bytes) != 0 ? Identity : new RistrettoPoint(r);
    }

    public byte[] ToArray() => Bytes.ToArray();

    public bool Equals(RistrettoPoint other) => CryptographicOperations.FixedTimeEquals(Bytes, other.Bytes);

    public override bool Equals(object? obj) => obj is RistrettoPoint p && Equals(p);

    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);
}
