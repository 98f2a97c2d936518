using System.Text;
using SignalSharp.Crypto;

namespace SignalSharp.Protocol.Ratchet;

/// <summary>
/// The per-message AES key, MAC key and IV: HKDF(salt = SPQR key or none, ikm = chain seed, "WhisperMessageKeys", 80)
/// split 32/32/16.
/// </summary>
internal sealed record MessageKeys(byte[] CipherKey, byte[] MacKey, byte[] Iv, uint Counter)
{
    private static readonly byte[] MessageKeysInfo = Encoding.ASCII.GetBytes("WhisperMessageKeys");

    public static MessageKeys Derive(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> spqrKey, uint counter)
    {
        var okm = Hkdf.DeriveSecrets(seed, spqrKey, MessageKeysInfo, 80);
        return new MessageKeys(okm[..32], okm[32..64], okm[64..80], counter);
    }
}
