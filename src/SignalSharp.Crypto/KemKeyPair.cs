namespace SignalSharp.Crypto;

/// <summary>A Kyber1024 key pair (libsignal's <c>kem::KeyPair</c> of type 0x08).</summary>
public sealed record KemKeyPair(KemPublicKey PublicKey, KemSecretKey SecretKey)
{
    public static KemKeyPair Generate()
    {
        var (publicKey, secretKey) = Kyber1024.GenerateKeyPair();
        return new KemKeyPair(new KemPublicKey(Prefix(publicKey)), new KemSecretKey(Prefix(secretKey)));
    }

    private static byte[] Prefix(byte[] key)
    {
        var typed = new byte[key.Length + 1];
        typed[0] = KemPublicKey.Kyber1024Type;
        key.CopyTo(typed, 1);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        return typed;
    }
}
