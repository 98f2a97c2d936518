using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>
/// A Curve25519 private key: 32 bytes, always clamped (on generation and on deserialization, as libsignal does, so
/// <see cref="Serialize"/> returns the clamped bytes).
/// </summary>
public sealed class ECPrivateKey
{
    public const int KeyLength = 32;

    private readonly byte[] scalar;
    private ECPublicKey? publicKey;
    private byte[]? edwardsPublicKey;

    private ECPrivateKey(byte[] clamped) => scalar = clamped;

    public static ECPrivateKey Generate()
    {
        var bytes = new byte[KeyLength];
        RandomNumberGenerator.Fill(bytes);
        Curve25519.Clamp(bytes);
        return new ECPrivateKey(bytes);
    }

    /// <summary>Reads 32 raw bytes and clamps them.</summary>
    public static ECPrivateKey Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != KeyLength)
        {
            throw new InvalidKeyException($"bad key length <{bytes.Length}> for private key");
        }

        var copy = bytes.ToArray();
        Curve25519.Clamp(copy);
        return new ECPrivateKey(copy);
    }

    /// <summary>The 32 clamped bytes (a fresh copy).</summary>
    public byte[] Serialize() => (byte[])scalar.Clone();

    public ECPublicKey GetPublicKey()
    {
        if (publicKey is null)
        {
            Span<byte> u = stackalloc byte[Curve25519.KeyLength];
            Curve25519.PublicFromPrivate(scalar, u);
            publicKey = ECPublicKey.FromPublicKeyBytes(u);
        }

        return publicKey;
    }

    /// <summary>X25519 with <paramref name="their"/>; an all-zero result (low-order key) is an <see cref="InvalidKeyException"/>.</summary>
    public byte[] CalculateAgreement(ECPublicKey their)
    {
        ArgumentNullException.ThrowIfNull(their);
        var shared = new byte[32];
        CalculateAgreement(their, shared);
        return shared;
    }

    /// <summary>X25519 into <paramref name="destination"/> (32 bytes).</summary>
    public void CalculateAgreement(ECPublicKey their, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(their);
        if (!Curve25519.Agree(scalar, their.PublicKeyBytes, destination[..32]))
        {
            throw new InvalidKeyException("invalid key agreement: the shared secret is all zeros");
        }
    }

    /// <summary>A 64-byte XEdDSA signature with a random nonce.</summary>
    public byte[] CalculateSignature(ReadOnlySpan<byte> message)
    {
        // The Edwards form of the public key is public and costs a scalar multiplication: compute it once.
        edwardsPublicKey ??= XEdDsa.EdwardsPublicKey(scalar);
        return XEdDsa.Sign(scalar, edwardsPublicKey, message);
    }
}
