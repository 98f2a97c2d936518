using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// poksho's "innerpad" SHO over SHA-256, used only to derive zkcredential's system generators: each absorb phase
/// hashes 0^64 ‖ cv ‖ input and ratchets to SHA256(SHA256(·)); squeezes hash 0^63 ‖ 0x01 ‖ cv ‖ u64BE(i).
/// </summary>
internal sealed class ShoSha256
{
    private byte[] cv = new byte[32];
    private IncrementalHash? hasher;

    public ShoSha256(ReadOnlySpan<byte> label) => AbsorbAndRatchet(label);

    public void Absorb(ReadOnlySpan<byte> input)
    {
        if (hasher is null)
        {
            hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hasher.AppendData(new byte[64]);
            hasher.AppendData(cv);
        }

        hasher.AppendData(input);
    }

    public void Ratchet()
    {
        if (hasher is null)
        {
            return;
        }

        cv = SHA256.HashData(hasher.GetHashAndReset());
        hasher.Dispose();
        hasher = null;
    }

    public void AbsorbAndRatchet(ReadOnlySpan<byte> input)
    {
        Absorb(input);
        Ratchet();
    }

    public byte[] Squeeze(int length)
    {
        if (hasher is not null)
        {
            throw new InvalidOperationException("squeeze needs a ratcheted SHO");
        }

        var output = new byte[length];
        var input = new byte[64 + 32 + 8];
        input[63] = 0x01;
        cv.CopyTo(input, 64);
        for (var i = 0; i * 32 < length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(96), (ulong)i);
            var block = SHA256.HashData(input);
            var n = Math.Min(32, length - (i * 32));
            block.AsSpan(0, n).CopyTo(output.AsSpan(i * 32));
        }

        input[63] = 0x02;
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(96), (ulong)length);
        cv = SHA256.HashData(input);
        return output;
    }

    public RistrettoPoint GetPoint() => RistrettoPoint.FromUniformBytes(Squeeze(64));
}
