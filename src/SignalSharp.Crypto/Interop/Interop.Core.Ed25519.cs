using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SignalSharp.Crypto.Interop;

/// <summary>libsodium <c>crypto_core_ed25519_*</c>: point arithmetic on encoded points and scalar arithmetic mod L.</summary>
internal static partial class Libsodium
{
    public const int Ed25519PointBytes = 32;
    public const int Ed25519ScalarBytes = 32;
    public const int Ed25519NonReducedScalarBytes = 64;

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_core_ed25519_bytes();

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_core_ed25519_scalarbytes();

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_core_ed25519_nonreducedscalarbytes();

    /// <summary>Returns 1 if the encoding is canonical, on the curve, in the prime-order subgroup and not of small order.</summary>
    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_core_ed25519_is_valid_point(ReadOnlySpan<byte> p);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_core_ed25519_add(Span<byte> r, ReadOnlySpan<byte> p, ReadOnlySpan<byte> q);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_core_ed25519_sub(Span<byte> r, ReadOnlySpan<byte> p, ReadOnlySpan<byte> q);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial void crypto_core_ed25519_scalar_reduce(Span<byte> r, ReadOnlySpan<byte> s64);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial void crypto_core_ed25519_scalar_mul(Span<byte> z, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y);

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial void crypto_core_ed25519_scalar_add(Span<byte> z, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y);
}
