using System.Text;
using SignalSharp.Crypto;

namespace SignalSharp.Protocol.Ratchet;

/// <summary>The Double Ratchet root key: each DH ratchet step feeds a new X25519 output through it.</summary>
internal sealed class RootKey(byte[] key)
{
    private static readonly byte[] RatchetInfo = Encoding.ASCII.GetBytes("WhisperRatchet");

    public byte[] Key { get; } = key;

    /// <summary>HKDF(salt = this root, ikm = DH(ours, theirs), "WhisperRatchet", 64) split into the next root and a chain.</summary>
    public (RootKey Root, ChainKey Chain) CreateChain(ECPublicKey theirRatchetKey, ECPrivateKey ourRatchetKey)
    {
        var sharedSecret = ourRatchetKey.CalculateAgreement(theirRatchetKey);
        var derived = Hkdf.DeriveSecrets(sharedSecret, Key, RatchetInfo, 64);
        return (new RootKey(derived[..32]), new ChainKey(derived[32..64], 0));
    }
}
