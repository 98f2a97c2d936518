using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace SignalSharp.Crypto;

/// <summary>
/// Round-3 Kyber1024 as libsignal uses it (libcrux <c>kyber1024</c>), built on BouncyCastle's ML-KEM-1024.
/// Keys and ciphertexts are laid out identically; the two differ only in how the shared secret comes out, so the
/// ML-KEM secret K̄ is post-processed into Kyber's <c>SHAKE256(K̄ ‖ SHA3-256(ct), 32)</c> on both sides. ML-KEM's
/// other differences (keygen's domain byte, hashing m before encapsulation) are invisible to the peer.
/// </summary>
internal static class Kyber1024
{
    public const int PublicKeyLength = 1568;
    public const int SecretKeyLength = 3168;
    public const int CiphertextLength = 1568;
    public const int SharedSecretLength = 32;

    private static readonly MLKemParameters Parameters = MLKemParameters.ml_kem_1024;

    public static (byte[] PublicKey, byte[] SecretKey) GenerateKeyPair()
    {
        var generator = new MLKemKeyPairGenerator();
        generator.Init(new MLKemKeyGenerationParameters(new SecureRandom(), Parameters));
        var pair = generator.GenerateKeyPair();
        var secret = ((MLKemPrivateKeyParameters)pair.Private).WithPreferredFormat(MLKemPrivateKeyParameters.Format.EncodingOnly);
        return (((MLKemPublicKeyParameters)pair.Public).GetEncoded(), secret.GetEncoded());
    }

    /// <summary>Parses a raw 1568-byte public key once, for repeated encapsulation.</summary>
    public static MLKemPublicKeyParameters ParsePublicKey(ReadOnlySpan<byte> publicKey) =>
        MLKemPublicKeyParameters.FromEncoding(Parameters, publicKey.ToArray());

    /// <summary>Parses a raw 3168-byte secret key once, for repeated decapsulation.</summary>
    public static MLKemPrivateKeyParameters ParseSecretKey(ReadOnlySpan<byte> secretKey)
    {
        var encoded = secretKey.ToArray();
        try
        {
            return MLKemPrivateKeyParameters.FromEncoding(Parameters, encoded);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encoded);
        }
    }

    public static (byte[] SharedSecret, byte[] Ciphertext) Encapsulate(MLKemPublicKeyParameters key)
    {
        var encapsulator = new MLKemEncapsulator(Parameters);
        encapsulator.Init(new Org.BouncyCastle.Crypto.Parameters.ParametersWithRandom(key, new SecureRandom()));
        var ciphertext = new byte[CiphertextLength];
        Span<byte> mlKemSecret = stackalloc byte[SharedSecretLength];
        try
        {
            encapsulator.Encapsulate(ciphertext, mlKemSecret);
            return (KyberSharedSecret(mlKemSecret, ciphertext), ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(mlKemSecret);
        }
    }

    public static byte[] Decapsulate(MLKemPrivateKeyParameters key, ReadOnlySpan<byte> ciphertext)
    {
        var decapsulator = new MLKemDecapsulator(Parameters);
        decapsulator.Init(key);
        Span<byte> mlKemSecret = stackalloc byte[SharedSecretLength];
        try
        {
            decapsulator.Decapsulate(ciphertext, mlKemSecret);
            return KyberSharedSecret(mlKemSecret, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(mlKemSecret);
        }
    }

    private static byte[] KyberSharedSecret(ReadOnlySpan<byte> mlKemSecret, ReadOnlySpan<byte> ciphertext)
    {
        Span<byte> ciphertextHash = stackalloc byte[32];
        var sha3 = new Sha3Digest(256);
        sha3.BlockUpdate(ciphertext);
        sha3.DoFinal(ciphertextHash);

        var shake = new ShakeDigest(256);
        shake.BlockUpdate(mlKemSecret);
        shake.BlockUpdate(ciphertextHash);
        var shared = new byte[SharedSecretLength];
        shake.OutputFinal(shared);
        return shared;
    }
}
