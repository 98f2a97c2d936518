using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SignalSharp.Crypto.Interop;

/// <summary>
/// libsodium <c>crypto_sign_ed25519_verify_detached</c>: checks encode(s·B − h·A) = R with h = SHA-512(R ‖ A ‖ m),
/// using a variable-time double-scalar multiplication. It rejects s ≥ L, small-order R and small-order A.
/// </summary>
internal static partial class Libsodium
{
    public const int Ed25519SignatureBytes = 64;
    public const int Ed25519PublicKeyBytes = 32;

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_sign_ed25519_bytes();

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial nuint crypto_sign_ed25519_publickeybytes();

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int crypto_sign_ed25519_verify_detached(ReadOnlySpan<byte> sig, ReadOnlySpan<byte> m, ulong mlen, ReadOnlySpan<byte> pk);
}
