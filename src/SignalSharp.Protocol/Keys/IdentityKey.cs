using SignalSharp.Crypto;

namespace SignalSharp.Protocol;

/// <summary>A long-term identity public key (Curve25519, serialized as 33 bytes with the 0x05 type byte).</summary>
public sealed class IdentityKey : IEquatable<IdentityKey>
{
    public IdentityKey(ECPublicKey publicKey) => PublicKey = publicKey ?? throw new ArgumentNullException(nameof(publicKey));

    public ECPublicKey PublicKey { get; }

    public static IdentityKey Deserialize(ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        return new IdentityKey(InvalidKeyMaterialException.Wrap("identity key", () => ECPublicKey.Deserialize(copy)));
    }

    public byte[] Serialize() => PublicKey.Serialize();

    /// <summary>Checks a signature by which this identity vouches for <paramref name="other"/> (see <see cref="IdentityKeyPair.SignAlternateIdentity"/>).</summary>
    public bool VerifyAlternateIdentity(IdentityKey other, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(other);
        return PublicKey.VerifySignature(IdentityKeyPair.AlternateIdentityMessage(other), signature);
    }

    public bool Equals(IdentityKey? other) => other is not null && PublicKey.Equals(other.PublicKey);

    public override bool Equals(object? obj) => obj is IdentityKey other && Equals(other);

    public override int GetHashCode() => PublicKey.GetHashCode();

    public static bool operator ==(IdentityKey? left, IdentityKey? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(IdentityKey? left, IdentityKey? right) => !(left == right);

    public override string ToString() => "IdentityKey(" + Convert.ToHexString(PublicKey.Serialize()) + ")";
}
