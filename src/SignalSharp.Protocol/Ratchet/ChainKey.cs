using System.Security.Cryptography;

namespace SignalSharp.Protocol.Ratchet;

/// <summary>A symmetric sending or receiving chain: HMAC(CK, 0x01) seeds a message, HMAC(CK, 0x02) advances.</summary>
internal sealed class ChainKey(byte[] key, uint index)
{
    private static readonly byte[] MessageKeySeedInput = [0x01];
    private static readonly byte[] ChainKeyInput = [0x02];

    public byte[] Key { get; } = key;

    public uint Index { get; } = index;

    public ChainKey Next() => new(HMACSHA256.HashData(Key, ChainKeyInput), Index + 1);

    /// <summary>The 32-byte seed from which this index's message keys are derived (with the SPQR key as salt).</summary>
    public byte[] MessageKeySeed() => HMACSHA256.HashData(Key, MessageKeySeedInput);
}
