using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SignalSharp.Crypto.Interop;

/// <summary>
/// libsodium <c>crypto_scalarmult_ed25519_*_noclamp</c>. Both return -1 when the result is the identity (and the
/// variable-base form also for inputs outside the prime-order subgroup); the output is written either way.
/// </summary>
internal static partial class Libsodium
{
    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_scalarmult_ed25519_bytes();

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_scalarmult_ed25519_scalarbytes();

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_scalarmult_ed25519_base_noclamp(Span<byte> q, ReadOnlySpan<byte> n);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_scalarmult_ed25519_noclamp(Span<byte> q, ReadOnlySpan<byte> n, ReadOnlySpan<byte> p);
}
