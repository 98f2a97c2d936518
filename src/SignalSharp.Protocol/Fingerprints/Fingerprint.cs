using System.Security.Cryptography;

namespace SignalSharp.Protocol.Fingerprints;

/// <summary>
/// A safety number between two identities, as libsignal computes it: each side's key and stable identifier are
/// hashed with iterated SHA-512, giving a 60-digit <see cref="DisplayableFingerprint"/> (identical on both phones)
/// and a <see cref="ScannableFingerprint"/> (the QR payload, which each phone encodes from its own point of view).
/// </summary>
public sealed class Fingerprint
{
    /// <summary>The iteration count Signal's apps use.</summary>
    public const int DefaultIterations = 5200;

    /// <summary>The scannable version Signal's apps use with ACI identifiers.</summary>
    public const uint ServiceIdVersion = 2;

    private Fingerprint(DisplayableFingerprint displayable, ScannableFingerprint scannable)
    {
        Displayable = displayable;
        Scannable = scannable;
    }

    public DisplayableFingerprint Displayable { get; }

    public ScannableFingerprint Scannable { get; }

    /// <summary>
    /// Computes the fingerprint of our identity (<paramref name="localId"/>, <paramref name="localKey"/>) against theirs.
    /// The identifiers are opaque bytes (Signal uses the 16-byte ACI with version 2; older clients the UTF-8 E164 with version 1).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is not in 2..1,000,000.</exception>
    public static Fingerprint Create(
        uint version,
        int iterations,
        ReadOnlySpan<byte> localId,
        IdentityKey localKey,
        ReadOnlySpan<byte> remoteId,
        IdentityKey remoteKey)
    {
        ArgumentNullException.ThrowIfNull(localKey);
        ArgumentNullException.ThrowIfNull(remoteKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, 1_000_000);

        var local = HashIdentity(iterations, localId, localKey);
        var remote = HashIdentity(iterations, remoteId, remoteKey);
        return new Fingerprint(DisplayableFingerprint.FromHashes(local, remote), new ScannableFingerprint(version, local[..32], remote[..32]));
    }

    /// <summary>The safety number Signal's apps show: version 2, 5200 iterations, 16-byte big-endian ACI UUIDs.</summary>
    public static Fingerprint ForAcis(Guid localAci, IdentityKey localKey, Guid remoteAci, IdentityKey remoteKey) =>
        Create(ServiceIdVersion, DefaultIterations, localAci.ToByteArray(bigEndian: true), localKey, remoteAci.ToByteArray(bigEndian: true), remoteKey);

    // SHA-512(0x0000 ‖ key ‖ id ‖ key), then (iterations − 1) × SHA-512(previous ‖ key).
    private static byte[] HashIdentity(int iterations, ReadOnlySpan<byte> stableId, IdentityKey key)
    {
        Span<byte> keyBytes = stackalloc byte[33];
        key.PublicKey.WriteTo(keyBytes);
        var digest = new byte[64];
        using (var first = IncrementalHash.CreateHash(HashAlgorithmName.SHA512))
        {
            first.AppendData([0, 0]);
            first.AppendData(keyBytes);
            first.AppendData(stableId);
            first.AppendData(keyBytes);
            first.GetHashAndReset(digest);
        }

        Span<byte> buffer = stackalloc byte[64 + 33];
        keyBytes.CopyTo(buffer[64..]);
        for (var i = 1; i < iterations; i++)
        {
            digest.CopyTo(buffer);
            SHA512.HashData(buffer, digest);
        }

        return digest;
    }
}
