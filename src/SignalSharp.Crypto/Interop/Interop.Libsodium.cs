using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SignalSharp.Crypto.Interop;

/// <summary>
/// Entry points into the native libsodium shipped by the <c>libsodium</c> NuGet package: the Ed25519 group
/// operations that the BCL and BouncyCastle do not expose (unclamped scalar multiplication, scalar arithmetic mod L,
/// a raw-key Ed25519 verification), its X25519, which is several times faster than a managed one, and the
/// ristretto255 group that ZkGroup builds on. The one home of libsodium P/Invokes in the product: one sodium_init,
/// one self-test. C names are kept so they can be looked up in libsodium's documentation.
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
        && crypto_scalarmult_ed25519_scalarbytes() == Ed25519ScalarBytes
        && crypto_scalarmult_curve25519_bytes() == Curve25519Bytes
        && crypto_scalarmult_curve25519_scalarbytes() == Curve25519Bytes
        && crypto_sign_ed25519_bytes() == Ed25519SignatureBytes
        && crypto_sign_ed25519_publickeybytes() == Ed25519PublicKeyBytes
        && crypto_core_ristretto255_bytes() == Ristretto255PointBytes
        && crypto_core_ristretto255_scalarbytes() == Ristretto255ScalarBytes
        && crypto_core_ristretto255_hashbytes() == Ristretto255HashBytes;

    [LibraryImport(Library)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sodium_init();
}
