using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>
/// A Curve25519 public key as libsignal serializes it: the type byte 0x05 followed by the 32-byte Montgomery u.
/// Equality is by value and constant time; ordering is by serialized bytes, as libsignal's <c>Ord</c>.
/// </summary>
public sealed class ECPublicKey : IEquatable<ECPublicKey>, IComparable<ECPublicKey>
{
    /// <summary>libsignal's <c>KeyType::Djb</c>.</summary>
    public const byte DjbType = 0x05;

    public const int SerializedLength = 33;
    public const int KeyLength = 32;

    private readonly byte[] serialized;

    private ECPublicKey(byte[] serialized) => this.serialized = serialized;

    /// <summary>The 32-byte u-coordinate, without the type byte.</summary>
    public ReadOnlySpan<byte> PublicKeyBytes => serialized.AsSpan(1);

    /// <summary>Parses <c>0x05 ‖ u</c>. Trailing bytes are ignored, as libsignal does.</summary>
    public static ECPublicKey Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new InvalidKeyException("no key type identifier");
        }

        if (bytes[0] != DjbType)
        {
            throw new InvalidKeyException($"bad key type <0x{bytes[0]:x2}>");
        }

        if (bytes.Length < SerializedLength)
        {
            throw new InvalidKeyException($"bad key length <{bytes.Length - 1}> for key with type <Djb>");
        }

        return new ECPublicKey(bytes[..SerializedLength].ToArray());
    }

    /// <summary>Wraps a raw 32-byte u-coordinate.</summary>
    public static ECPublicKey FromPublicKeyBytes(ReadOnlySpan<byte> u32)
    {
        if (u32.Length != KeyLength)
        {
            throw new InvalidKeyException($"bad key length <{u32.Length}> for key with type <Djb>");
        }

        var bytes = new byte[SerializedLength];
        bytes[0] = DjbType;
        u32.CopyTo(bytes.AsSpan(1));
        return new ECPublicKey(bytes);
    }

    /// <summary>The 33-byte serialized form (a fresh copy).</summary>
    public byte[] Serialize() => (byte[])serialized.Clone();

    /// <summary>Writes the 33-byte serialized form.</summary>
    public void WriteTo(Span<byte> destination) => serialized.CopyTo(destination);

    /// <summary>Verifies an XEdDSA signature made by the matching private key.</summary>
    public bool VerifySignature(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        XEdDsa.Verify(PublicKeyBytes, message, signature);

    /// <summary>
    /// libsignal's check on incoming base keys: the encoding is a canonical field element and the point lies in the
    /// prime-order subgroup.
    /// </summary>
    public bool IsCanonical() => Curve25519.IsCanonical(PublicKeyBytes);

    public bool Equals(ECPublicKey? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(serialized, other.serialized);

    public override bool Equals(object? obj) => obj is ECPublicKey other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(serialized, 1);

    public int CompareTo(ECPublicKey? other) =>
        other is null ? 1 : serialized.AsSpan().SequenceCompareTo(other.serialized);

    public static bool operator ==(ECPublicKey? left, ECPublicKey? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ECPublicKey? left, ECPublicKey? right) => !(left == right);

    public static bool operator <(ECPublicKey left, ECPublicKey right) => left.CompareTo(right) < 0;

    public static bool operator >(ECPublicKey left, ECPublicKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(ECPublicKey left, ECPublicKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ECPublicKey left, ECPublicKey right) => left.CompareTo(right) >= 0;

    public override string ToString() => "ECPublicKey(" + Convert.ToHexString(serialized) + ")";
}
