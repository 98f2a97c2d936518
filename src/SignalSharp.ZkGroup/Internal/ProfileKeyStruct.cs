namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// A profile key bound to its owner's ACI: M3 hashes key and UUID together, M4 maps the key itself (with three bits
/// cleared, which decryption has to search back).
/// </summary>
internal sealed class ProfileKeyStruct
{
    private const string M3Label = "Signal_ZKGroup_20200424_ProfileKeyAndUid_ProfileKey_CalcM3";

    public ProfileKeyStruct(ReadOnlySpan<byte> profileKey, ReadOnlySpan<byte> aciUuid)
    {
        ProfileKey = profileKey.ToArray();
        M3 = CalcM3(profileKey, aciUuid);
        Span<byte> encoded = stackalloc byte[32];
        profileKey.CopyTo(encoded);
        encoded[0] &= 0xFE;
        encoded[31] &= 0x3F;
        M4 = RistrettoPoint.MapToCurve(encoded);
    }

    public byte[] ProfileKey { get; }

    public RistrettoPoint M3 { get; }

    public RistrettoPoint M4 { get; }

    public static RistrettoPoint CalcM3(ReadOnlySpan<byte> profileKey, ReadOnlySpan<byte> aciUuid) =>
        ShoHmacSha256.Create(M3Label, [.. profileKey, .. aciUuid]).GetPointSingleElligator();

    /// <summary><see cref="CalcM3"/> of each profile key, the Elligator maps' square roots computed together.</summary>
    public static RistrettoPoint[] CalcM3Many(IReadOnlyList<byte[]> profileKeys, ReadOnlySpan<byte> aciUuid)
    {
        var hashes = new byte[32 * profileKeys.Count];
        for (var i = 0; i < profileKeys.Count; i++)
        {
            ShoHmacSha256.Create(M3Label, [.. profileKeys[i], .. aciUuid]).Squeeze(32).CopyTo(hashes, 32 * i);
        }

        return RistrettoPoint.MapToCurveMany(hashes);
    }
}
