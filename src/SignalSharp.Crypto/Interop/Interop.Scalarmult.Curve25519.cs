using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SignalSharp.Crypto.Interop;

/// <summary>
/// libsodium <c>crypto_scalarmult_curve25519</c> (X25519, RFC 7748). Returns -1 when the peer's point has small
/// order, i.e. exactly when the shared secret would be all zeros for a clamped scalar.
/// </summary>
internal static partial class Libsodium
{
    public const int Curve25519Bytes = 32;

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_scalarmult_curve25519_bytes();

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_scalarmult_curve25519_scalarbytes();

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_scalarmult_curve25519(Span<byte> q, ReadOnlySpan<byte> n, ReadOnlySpan<byte> p);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_scalarmult_curve25519_base(Span<byte> q, ReadOnlySpan<byte> n);
}
