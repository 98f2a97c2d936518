namespace SignalSharp.Crypto;

/// <summary>A Curve25519 key pair.</summary>
public sealed record ECKeyPair(ECPublicKey PublicKey, ECPrivateKey PrivateKey)
{
    public static ECKeyPair Generate()
    {
        var privateKey = ECPrivateKey.Generate();
        return new ECKeyPair(privateKey.GetPublicKey(), privateKey);
    }

    /// <summary>Rebuilds the pair from a private key, deriving its public key.</summary>
    public static ECKeyPair FromPrivateKey(ECPrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return new ECKeyPair(privateKey.GetPublicKey(), privateKey);
    }
}
