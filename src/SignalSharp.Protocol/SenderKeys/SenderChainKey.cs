using System.Security.Cryptography;
using SignalSharp.Crypto;

namespace SignalSharp.Protocol.SenderKeys;

/// <summary>One step of a sender-key chain: <c>seed = HMAC(CK, 0x01)</c>, <c>CK' = HMAC(CK, 0x02)</c>.</summary>
internal readonly record struct SenderChainKey(uint Iteration, byte[] Seed)
{
    private static readonly byte[] MessageKeySeed = [0x01];
    private static readonly byte[] ChainKeySeed = [0x02];

    public SenderMessageKey MessageKey() => new(Iteration, HMACSHA256.HashData(Seed, MessageKeySeed));

    public SenderChainKey Next()
    {
        if (Iteration == uint.MaxValue)
        {
            throw new InvalidSenderKeySessionException("sender key chain iteration overflow");
        }

        return new SenderChainKey(Iteration + 1, HMACSHA256.HashData(Seed, ChainKeySeed));
    }
}

/// <summary>The key for one sender-key message: <c>HKDF(seed, "WhisperGroup", 48)</c> = IV(16) ‖ AES key(32).</summary>
internal readonly record struct SenderMessageKey(uint Iteration, byte[] Seed)
{
    private static readonly byte[] Info = "WhisperGroup"u8.ToArray();

    public (byte[] Iv, byte[] CipherKey) Derive()
    {
        var okm = Hkdf.DeriveSecrets(Seed, [], Info, 48);
        return (okm[..16], okm[16..48]);
    }
}
