using System.Buffers.Binary;

namespace SignalSharp.Spqr.Chains;

/// <summary>
/// Skipped message keys of one receive direction: a flat run of 36-byte records BE32(index) ‖ key32, in the exact
/// order spqr keeps them (append, swap-remove), because that order is part of the stored state's bytes.
/// </summary>
internal sealed class KeyHistory
{
    public const int RecordSize = 4 + 32;

    private byte[] data;
    private int length;

    public KeyHistory(ReadOnlySpan<byte> stored)
    {
        data = stored.ToArray();
        length = stored.Length;
    }

    public int Count => length / RecordSize;

    public ReadOnlySpan<byte> Bytes => data.AsSpan(0, length);

    public void Add(uint index, ReadOnlySpan<byte> key)
    {
        EnsureCapacity(length + RecordSize);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(length), index);
        key[..32].CopyTo(data.AsSpan(length + 4));
        length += RecordSize;
    }

    public void Clear() => length = 0;

    /// <summary>Takes the key for <paramref name="at"/> out of the history.</summary>
    public byte[] Get(uint at, uint currentCtr, ChainParams chainParams)
    {
        // Unchecked like spqr's release build: the sum wraps for indices near uint.MaxValue.
        if (unchecked(at + chainParams.MaxOooKeys) < currentCtr)
        {
            throw new SpqrException(SpqrError.KeyTrimmed, at);
        }

        for (var i = 0; i < length; i += RecordSize)
        {
            if (BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(i)) == at)
            {
                var key = data.AsSpan(i + 4, 32).ToArray();
                Remove(i);
                return key;
            }
        }

        throw new SpqrException(SpqrError.KeyAlreadyRequested, at);
    }

    /// <summary>Drops records older than the out-of-order window once the history has grown past its trim size.</summary>
    public void Collect(uint currentKey, ChainParams chainParams)
    {
        if (length < chainParams.TrimSize * RecordSize)
        {
            return;
        }

        var horizon = unchecked(currentKey - chainParams.MaxOooKeys);
        var i = 0;
        while (i < length)
        {
            if (BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(i)) < horizon)
            {
                // The last record moves into slot i, which is examined again.
                Remove(i);
            }
            else
            {
                i += RecordSize;
            }
        }
    }

    private void Remove(int offset)
    {
        if (offset + RecordSize < length)
        {
            var last = length - RecordSize;
            data.AsSpan(last, RecordSize).CopyTo(data.AsSpan(offset));
            offset = last;
        }

        length = offset;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed > data.Length)
        {
            Array.Resize(ref data, Math.Max(needed, Math.Max(data.Length * 2, RecordSize * 8)));
        }
    }
}
