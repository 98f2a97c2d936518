using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SignalSharp.Crypto.Interop;

/// <summary>
/// Entry points into the native libsodium shipped by the <c>libsodium</c> NuGet package. Only the Ed25519 group
/// operations that the BCL and BouncyCastle do not expose (unclamped scalar multiplication, scalar arithmetic mod L)
/// are used; C names are kept so they can be looked up in libsodium's documentation.
/// </summary>
internal static partial class Libsodium
{
    private const string Library = "libsodium";

    private static readonly Lazy<bool> Initialized = new(InitializeCore, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Calls sodium_init once and checks that the native sizes match the constants this code assumes.</summary>
    public static void EnsureInitialized()
    {
        if (!Initialized.Value)
        {
            throw new InvalidOperationException("libsodium could not be initialised");
        }
    }

    private static bool InitializeCore()
    {
        // 0 = initialised now, 1 = already initialised by someone else in the process, -1 = failure.
        if (sodium_init() < 0)
        {
            return false;
        }

        return SelfTest();
    }

    private static bool SelfTest() =>
        crypto_core_ed25519_bytes() == Ed25519PointBytes
        && crypto_core_ed25519_scalarbytes() == Ed25519ScalarBytes
        && crypto_core_ed25519_nonreducedscalarbytes() == Ed25519NonReducedScalarBytes
        && crypto_scalarmult_ed25519_bytes() == Ed25519PointBytes
        && crypto_scalarmult_ed25519_scalarbytes() == Ed25519ScalarBytes;

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sodium_init();
}
