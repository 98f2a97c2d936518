namespace SignalSharp.Crypto;

/// <summary>A Kyber1024 public key as libsignal serializes it: the type byte 0x08 followed by 1568 bytes.</summary>
public sealed class KemPublicKey : IEquatable<KemPublicKey>
{
    /// <summary>libsignal's <c>kem::KeyType::Kyber1024</c>.</summary>
    public const byte Kyber1024Type = 0x08;

    public const int SerializedLength = 1 + Kyber1024.PublicKeyLength;

    private readonly byte[] serialized;
    private Org.BouncyCastle.Crypto.Parameters.MLKemPublicKeyParameters? parsed;

    internal KemPublicKey(byte[] serialized) => this.serialized = serialized;

    /// <summary>The key without its type byte.</summary>
    public ReadOnlySpan<byte> KeyBytes => serialized.AsSpan(1);

    /// <summary>Parses <c>0x08 ‖ key</c>; the length must be exact, as libsignal requires.</summary>
    public static KemPublicKey Deserialize(ReadOnlySpan<byte> bytes)
    {
        KemKeyFormat.CheckType(bytes);
        if (bytes.Length != SerializedLength)
        {
            throw new InvalidKeyException($"bad KEM key length <{bytes.Length - 1}> for key with type <Kyber1024>");
        }

        return new KemPublicKey(bytes.ToArray());
    }

    public byte[] Serialize() => (byte[])serialized.Clone();

    /// <summary>Creates a fresh shared secret (32 bytes) and its ciphertext (1569 bytes incl. the type byte).</summary>
    public KemEncapsulation Encapsulate()
    {
        parsed ??= Kyber1024.ParsePublicKey(KeyBytes);
        var (sharedSecret, ciphertext) = Kyber1024.Encapsulate(parsed);
        var typed = new byte[1 + ciphertext.Length];
        typed[0] = Kyber1024Type;
        ciphertext.CopyTo(typed, 1);
        return new KemEncapsulation(sharedSecret, typed);
    }

    public bool Equals(KemPublicKey? other) =>
        other is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(serialized, other.serialized);

    public override bool Equals(object? obj) => obj is KemPublicKey other && Equals(other);

    public override int GetHashCode() => BitConverter.ToInt32(serialized, 1);
}

/// <summary>The result of a KEM encapsulation: the shared secret and the typed ciphertext to send.</summary>
public sealed record KemEncapsulation(byte[] SharedSecret, byte[] Ciphertext);
