using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SignalSharp.Crypto;

/// <summary>
/// libsignal's <c>Aes256Ctr32</c>: AES-256 in counter mode where only the last 4 bytes of the 16-byte counter block
/// count (big-endian, wrapping), the first 12 being the nonce. Built on ECB keystream generation, since the BCL has
/// no CTR mode. The same call encrypts and decrypts.
/// </summary>
public static class Aes256Ctr32
{
    public const int KeyLength = 32;
    public const int NonceLength = 12;

    private const int BlocksPerBatch = 64;

    /// <summary>
    /// Processes <paramref name="input"/> into <paramref name="output"/> (same length; may be the same memory).
    /// <paramref name="nonce"/> is 12 bytes (counter starts at 0) or a whole 16-byte initial counter block.
    /// </summary>
    public static void Process(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> input, Span<byte> output)
    {
        uint counter = 0;
        if (nonce.Length == 16)
        {
            counter = BinaryPrimitives.ReadUInt32BigEndian(nonce[12..]);
            nonce = nonce[..12];
        }

        Process(key, nonce, counter, input, output);
    }

    /// <summary>Processes with a 12-byte nonce and an explicit initial counter value.</summary>
    public static void Process(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, uint initialCounter, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"AES-256 needs a 32-byte key, got {key.Length}", nameof(key));
        }

        if (nonce.Length != NonceLength)
        {
            throw new ArgumentException($"CTR32 needs a 12-byte nonce, got {nonce.Length}", nameof(nonce));
        }

        if (output.Length < input.Length)
        {
            throw new ArgumentException("output is shorter than input", nameof(output));
        }

        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        Span<byte> counters = stackalloc byte[BlocksPerBatch * 16];
        Span<byte> keystream = stackalloc byte[BlocksPerBatch * 16];
        var counter = initialCounter;
        var offset = 0;
        while (offset < input.Length)
        {
            var remaining = input.Length - offset;
            var blocks = Math.Min(BlocksPerBatch, (remaining + 15) / 16);
            for (var i = 0; i < blocks; i++)
            {
                var block = counters.Slice(i * 16, 16);
                nonce.CopyTo(block);
                BinaryPrimitives.WriteUInt32BigEndian(block[12..], counter);
                counter = unchecked(counter + 1);
            }

            var size = blocks * 16;
            aes.EncryptEcb(counters[..size], keystream[..size], PaddingMode.None);
            var chunk = Math.Min(size, remaining);
            for (var i = 0; i < chunk; i++)
            {
                output[offset + i] = (byte)(input[offset + i] ^ keystream[i]);
            }

            offset += chunk;
        }

        CryptographicOperations.ZeroMemory(keystream);
    }

    /// <summary>Convenience form returning a new array.</summary>
    public static byte[] Process(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> input)
    {
        var output = new byte[input.Length];
        Process(key, nonce, input, output);
        return output;
    }
}
