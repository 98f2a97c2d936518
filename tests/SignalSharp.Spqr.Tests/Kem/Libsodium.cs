using System.Runtime.InteropServices;

namespace SignalSharp.Spqr.Tests.Kem;

/// <summary>libsodium 1.0.22's ML-KEM-768, used only as a known-answer oracle in tests.</summary>
internal static class Libsodium
{
    private const string Library = "libsodium";

    static Libsodium()
    {
        if (sodium_init() < 0)
        {
            throw new InvalidOperationException("sodium_init failed");
        }
    }

    public static int PublicKeyBytes => (int)crypto_kem_mlkem768_publickeybytes();

    public static int SecretKeyBytes => (int)crypto_kem_mlkem768_secretkeybytes();

    public static int CiphertextBytes => (int)crypto_kem_mlkem768_ciphertextbytes();

    public static int SeedBytes => (int)crypto_kem_mlkem768_seedbytes();

    public static (byte[] PublicKey, byte[] SecretKey) SeedKeypair(byte[] seed)
    {
        var pk = new byte[PublicKeyBytes];
        var sk = new byte[SecretKeyBytes];
        Check(crypto_kem_mlkem768_seed_keypair(pk, sk, seed));
        return (pk, sk);
    }

    public static (byte[] Ciphertext, byte[] SharedSecret) EncapsulateDeterministic(byte[] publicKey, byte[] seed32)
    {
        var ct = new byte[CiphertextBytes];
        var ss = new byte[32];
        Check(crypto_kem_mlkem768_enc_deterministic(ct, ss, publicKey, seed32));
        return (ct, ss);
    }

    public static (byte[] Ciphertext, byte[] SharedSecret) Encapsulate(byte[] publicKey)
    {
        var ct = new byte[CiphertextBytes];
        var ss = new byte[32];
        Check(crypto_kem_mlkem768_enc(ct, ss, publicKey));
        return (ct, ss);
    }

    public static byte[] Decapsulate(byte[] ciphertext, byte[] secretKey)
    {
        var ss = new byte[32];
        Check(crypto_kem_mlkem768_dec(ss, ciphertext, secretKey));
        return ss;
    }

    private static void Check(int rc)
    {
        if (rc != 0)
        {
            throw new InvalidOperationException($"libsodium returned {rc}");
        }
    }

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int sodium_init();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern nuint crypto_kem_mlkem768_publickeybytes();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern nuint crypto_kem_mlkem768_secretkeybytes();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern nuint crypto_kem_mlkem768_ciphertextbytes();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern nuint crypto_kem_mlkem768_seedbytes();

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_kem_mlkem768_seed_keypair(byte[] pk, byte[] sk, byte[] seed);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_kem_mlkem768_enc(byte[] ct, byte[] ss, byte[] pk);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_kem_mlkem768_enc_deterministic(byte[] ct, byte[] ss, byte[] pk, byte[] seed);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern int crypto_kem_mlkem768_dec(byte[] ss, byte[] ct, byte[] sk);
}
