using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SignalSharp.Spqr.Primitives;

/// <summary>HKDF-SHA256 and HMAC-SHA256 with every label spqr v1.5.3 uses; the labels are wire facts, byte for byte.</summary>
internal static class SpqrKdf
{
    // Note the two spaces before "Start": the label is what spqr hashes, typo included.
    public static ReadOnlySpan<byte> ChainStart => "Signal PQ Ratchet V1 Chain  Start"u8;
    public static ReadOnlySpan<byte> ChainAddEpoch => "Signal PQ Ratchet V1 Chain Add Epoch"u8;
    public static ReadOnlySpan<byte> ChainNext => "Signal PQ Ratchet V1 Chain Next"u8;
    public static ReadOnlySpan<byte> AuthenticatorUpdate => "Signal_PQCKA_V1_MLKEM768:Authenticator Update"u8;
    public static ReadOnlySpan<byte> MacHeader => "Signal_PQCKA_V1_MLKEM768:ekheader"u8;
    public static ReadOnlySpan<byte> MacCiphertext => "Signal_PQCKA_V1_MLKEM768:ciphertext"u8;
    public static ReadOnlySpan<byte> SckaKey => "Signal_PQCKA_V1_MLKEM768:SCKA Key"u8;

    private static ReadOnlySpan<byte> ZeroSalt => new byte[32];

    /// <summary>HKDF-SHA256 (extract then expand) into <paramref name="output"/>; an empty salt means 32 zero bytes.</summary>
    public static void Derive(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> info, Span<byte> output)
    {
        Span<byte> prk = stackalloc byte[32];
        HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt.IsEmpty ? ZeroSalt : salt, prk);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, output, info);
        CryptographicOperations.ZeroMemory(prk);
    }

    /// <summary>Info = <paramref name="label"/> ‖ BE64(<paramref name="epoch"/>), as the braid's KDFs and MACs append it.</summary>
    public static byte[] LabelWithEpoch(ReadOnlySpan<byte> label, ulong epoch)
    {
        var info = new byte[label.Length + 8];
        label.CopyTo(info);
        BinaryPrimitives.WriteUInt64BigEndian(info.AsSpan(label.Length), epoch);
        return info;
    }

    /// <summary>The epoch secret: HKDF(salt 0, ikm = ML-KEM shared secret, "…SCKA Key" ‖ BE64(epoch), 32).</summary>
    public static byte[] EpochSecret(ReadOnlySpan<byte> sharedSecret, ulong epoch)
    {
        var secret = new byte[32];
        Derive(default, sharedSecret, LabelWithEpoch(SckaKey, epoch), secret);
        return secret;
    }
}
