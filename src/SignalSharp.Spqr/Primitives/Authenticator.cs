using System.Security.Cryptography;

namespace SignalSharp.Spqr.Primitives;

/// <summary>
/// The braid's authenticator: a root key ratcheted with each epoch secret and a MAC key for headers and ciphertexts.
/// Immutable: <see cref="Update"/> returns a new value, so a failed receive never disturbs the stored one.
/// </summary>
internal sealed record Authenticator(byte[] RootKey, byte[] MacKey)
{
    public const int MacSize = 32;

    /// <summary>The starting authenticator of a session: zero keys updated with the PQXDH auth key at epoch 1.</summary>
    public static Authenticator Create(ReadOnlySpan<byte> authKey, ulong epoch) =>
        new Authenticator(new byte[32], new byte[32]).Update(epoch, authKey);

    public Authenticator Update(ulong epoch, ReadOnlySpan<byte> key)
    {
        var ikm = new byte[RootKey.Length + key.Length];
        RootKey.CopyTo(ikm, 0);
        key.CopyTo(ikm.AsSpan(RootKey.Length));
        Span<byte> okm = stackalloc byte[64];
        SpqrKdf.Derive(default, ikm, SpqrKdf.LabelWithEpoch(SpqrKdf.AuthenticatorUpdate, epoch), okm);
        return new Authenticator(okm[..32].ToArray(), okm[32..].ToArray());
    }

    public byte[] MacHeader(ulong epoch, ReadOnlySpan<byte> header) => Mac(SpqrKdf.MacHeader, epoch, header, default);

    public byte[] MacCiphertext(ulong epoch, ReadOnlySpan<byte> ct1, ReadOnlySpan<byte> ct2) =>
        Mac(SpqrKdf.MacCiphertext, epoch, ct1, ct2);

    public void VerifyHeader(ulong epoch, ReadOnlySpan<byte> header, ReadOnlySpan<byte> expected)
    {
        if (!CryptographicOperations.FixedTimeEquals(MacHeader(epoch, header), expected))
        {
            throw new SpqrException(SpqrError.MacVerifyFailed);
        }
    }

    public void VerifyCiphertext(ulong epoch, ReadOnlySpan<byte> ct1, ReadOnlySpan<byte> ct2, ReadOnlySpan<byte> expected)
    {
        if (!CryptographicOperations.FixedTimeEquals(MacCiphertext(epoch, ct1, ct2), expected))
        {
            throw new SpqrException(SpqrError.MacVerifyFailed);
        }
    }

    private byte[] Mac(ReadOnlySpan<byte> label, ulong epoch, ReadOnlySpan<byte> part1, ReadOnlySpan<byte> part2)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, MacKey);
        hmac.AppendData(SpqrKdf.LabelWithEpoch(label, epoch));
        hmac.AppendData(part1);
        hmac.AppendData(part2);
        return hmac.GetHashAndReset();
    }
}
