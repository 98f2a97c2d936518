namespace SignalSharp.Crypto;

/// <summary>A Kyber1024 secret key as libsignal serializes it: the type byte 0x08 followed by 3168 bytes.</summary>
public sealed class KemSecretKey
{
    public const int SerializedLength = 1 + Kyber1024.SecretKeyLength;
    public const int CiphertextLength = 1 + Kyber1024.CiphertextLength;

    private readonly byte[] serialized;
    private Org.BouncyCastle.Crypto.Parameters.MLKemPrivateKeyParameters? parsed;

    internal KemSecretKey(byte[] serialized) => this.serialized = serialized;

    public static KemSecretKey Deserialize(ReadOnlySpan<byte> bytes)
    {
        KemKeyFormat.CheckType(bytes);
        if (bytes.Length != SerializedLength)
        {
            throw new InvalidKeyException($"bad KEM key length <{bytes.Length - 1}> for key with type <Kyber1024>");
        }

        return new KemSecretKey(bytes.ToArray());
    }

    public byte[] Serialize() => (byte[])serialized.Clone();

    /// <summary>Recovers the shared secret from a 1569-byte typed ciphertext.</summary>
    public byte[] Decapsulate(ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.IsEmpty || ciphertext[0] != KemPublicKey.Kyber1024Type)
        {
            throw new InvalidKeyException("wrong KEM key type for ciphertext");
        }

        if (ciphertext.Length != CiphertextLength)
        {
            throw new InvalidKeyException($"bad KEM ciphertext length <{ciphertext.Length - 1}> for key with type <Kyber1024>");
        }

        parsed ??= Kyber1024.ParseSecretKey(serialized.AsSpan(1));
        return Kyber1024.Decapsulate(parsed, ciphertext[1..]);
    }
}

internal static class KemKeyFormat
{
    public static void CheckType(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new InvalidKeyException("no KEM key type identifier");
        }

        if (bytes[0] != KemPublicKey.Kyber1024Type)
        {
            throw new InvalidKeyException($"bad KEM key type <0x{bytes[0]:x2}>");
        }
    }
}
