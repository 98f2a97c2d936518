using System.Buffers;
using System.Runtime.InteropServices;

namespace SignalSharp.Daemon.Framing;

/// <summary>
/// A block of native memory for the framer's buffer while a big command arrives. Growing a managed buffer by
/// doubling leaves every smaller predecessor as garbage that stays resident until a full collection, which a
/// single 40 MiB command rarely triggers: its peak was the command's size several times over. Native blocks are
/// freed the moment they are outgrown or the command is done, and their untouched tail is never made resident.
/// The owner must dispose it (no finalizer: one could free the memory under a Span still in use).
/// </summary>
internal sealed unsafe class NativeBlock : MemoryManager<byte>
{
    private readonly int length;
    private byte* pointer;

    public NativeBlock(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        this.length = length;
        pointer = (byte*)NativeMemory.Alloc((nuint)length);
    }

    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(pointer == null, this);
        return new Span<byte>(pointer, length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(pointer == null, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)length);
        return new MemoryHandle(pointer + elementIndex);
    }

    // Native memory never moves: nothing to unpin.
    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (pointer != null)
        {
            NativeMemory.Free(pointer);
            pointer = null;
        }
    }
}
