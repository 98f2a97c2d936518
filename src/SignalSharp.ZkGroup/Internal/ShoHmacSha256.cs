using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// poksho's SHO over HMAC-SHA256: a chaining value that each absorb phase keys an HMAC with, closed by a 0x00 byte
/// on ratchet; squeezes are HMAC(cv, u64BE(i) ‖ 0x01) blocks followed by a re-key HMAC(cv, u64BE(n) ‖ 0x02).
/// </summary>
internal sealed class ShoHmacSha256
{
    private byte[] cv = new byte[32];
    private IncrementalHash? hmac;

    public ShoHmacSha256(ReadOnlySpan<byte> label) => AbsorbAndRatchet(label);

    private ShoHmacSha256()
    {
    }

    /// <summary>zkgroup's <c>Sho::new(label, data)</c>: the label, then one absorb-and-ratchet of data (even empty).</summary>
    public static ShoHmacSha256 Create(string label, ReadOnlySpan<byte> data)
    {
        // The state after the label depends on the label alone; hashing points to the curve re-creates the same few
        // labels for every member and candidate, so keep each one's chaining value.
        var labelled = LabelStates.GetOrAdd(label, l => new ShoHmacSha256(System.Text.Encoding.UTF8.GetBytes(l)).cv);
        var sho = new ShoHmacSha256 { cv = labelled };
        sho.AbsorbAndRatchet(data);
        return sho;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> LabelStates = new();

    public void Absorb(ReadOnlySpan<byte> input)
    {
        hmac ??= IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, cv);
        hmac.AppendData(input);
    }

    public void Ratchet()
    {
        if (hmac is null)
        {
            return;
        }

        hmac.AppendData([0x00]);
        cv = hmac.GetHashAndReset();
        hmac.Dispose();
        hmac = null;
    }

    public void AbsorbAndRatchet(ReadOnlySpan<byte> input)
    {
        Absorb(input);
        Ratchet();
    }

    public byte[] Squeeze(int length)
    {
        if (hmac is not null)
        {
            throw new InvalidOperationException("squeeze needs a ratcheted SHO");
        }

        var output = new byte[length];
        Span<byte> counter = stackalloc byte[9];
        Span<byte> block = stackalloc byte[32];
        for (var i = 0; i * 32 < length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(counter, (ulong)i);
            counter[8] = 0x01;
            HMACSHA256.HashData(cv, counter, block);
            var n = Math.Min(32, length - (i * 32));
            block[..n].CopyTo(output.AsSpan(i * 32));
        }

        BinaryPrimitives.WriteUInt64BigEndian(counter, (ulong)length);
        counter[8] = 0x02;
        cv = HMACSHA256.HashData(cv, counter);
        return output;
    }

    /// <summary>A copy that continues independently (poksho clones its transcript before absorbing secrets).</summary>
    public ShoHmacSha256 Clone()
    {
        if (hmac is not null)
        {
            throw new InvalidOperationException("only a ratcheted SHO can be cloned");
        }

        return new ShoHmacSha256 { cv = (byte[])cv.Clone() };
    }

    public Scalar GetScalar() => Scalar.FromWide(Squeeze(64));

    public RistrettoPoint GetPoint() => RistrettoPoint.FromUniformBytes(Squeeze(64));

    public RistrettoPoint GetPointSingleElligator() => RistrettoPoint.MapToCurve(Squeeze(32));
}
