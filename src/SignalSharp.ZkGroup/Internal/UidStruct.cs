using System.Security.Cryptography;

namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// A service id as a pair of points: M1 hashes the full service id binary (so ACI and PNI of the same UUID differ),
/// M2 is the reversible lizard encoding of the bare UUID (so decryption can recover it).
/// </summary>
internal sealed class UidStruct
{
    private const string M1Label = "Signal_ZKGroup_20200424_UID_CalcM1";

    private static readonly byte[] FalsePniNamespace = Convert.FromHexString("019faa2b7bcb70c2ac7fcd770414689a");

    private readonly byte[] rawUuid;

    private UidStruct(ZkServiceId serviceId, RistrettoPoint m1, RistrettoPoint m2, byte[]? rawUuid = null)
    {
        ServiceId = serviceId;
        M1 = m1;
        M2 = m2;
        this.rawUuid = rawUuid ?? serviceId.Uuid.ToArray();
    }

    public ZkServiceId ServiceId { get; }

    public RistrettoPoint M1 { get; }

    public RistrettoPoint M2 { get; }

    public static UidStruct From(ZkServiceId serviceId) =>
        new(serviceId, CalcM1(serviceId), Lizard.Encode(serviceId.Uuid));

    /// <summary>
    /// The stand-in PNI of a credential issued without one: a UUIDv5 in a fixed namespace over SHA-256(salt) ‖ ACI.
    /// Its stored raw UUID is nil, marking it as not a real id.
    /// </summary>
    public static UidStruct ForFalsePni(ZkServiceId aci, ReadOnlySpan<byte> salt)
    {
        var name = (byte[])[.. FalsePniNamespace, .. SHA256.HashData(salt), .. aci.Uuid];
        var uuid = SHA1.HashData(name)[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50);
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);
        var pni = ZkServiceId.Pni(uuid);
        return new UidStruct(pni, CalcM1(pni), Lizard.Encode(uuid), new byte[16]);
    }

    public static RistrettoPoint CalcM1(ZkServiceId serviceId) => ShoHmacSha256.Create(M1Label, serviceId.ToBinary()).GetPoint();

    /// <summary>The 80-byte form used inside credentials: uuid16 ‖ M1 ‖ M2.</summary>
    public byte[] Serialize() => [.. rawUuid, .. M1.Bytes, .. M2.Bytes];
}

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
}

/// <summary>Lizard: an injective 16-byte → point encoding that the inverse Elligator map can undo.</summary>
internal static class Lizard
{
    public static RistrettoPoint Encode(ReadOnlySpan<byte> data16) => RistrettoPoint.MapToCurve(FieldBytes(data16));

    /// <summary>The field element lizard maps: SHA-256 of the data with the data spliced into bytes 8..24.</summary>
    public static byte[] FieldBytes(ReadOnlySpan<byte> data16)
    {
        if (data16.Length != 16)
        {
            throw new ArgumentException("lizard encodes 16 bytes", nameof(data16));
        }

        var fe = SHA256.HashData(data16);
        data16.CopyTo(fe.AsSpan(8));
        fe[0] &= 0xFE;
        fe[31] &= 0x3F;
        return fe;
    }

    /// <summary>The unique 16 bytes whose encoding is this point, or null when no or several candidates match.</summary>
    public static byte[]? Decode(RistrettoPoint point)
    {
        byte[]? found = null;
        var matches = 0;
        foreach (var candidate in Elligator.InverseCandidates(point))
        {
            if (candidate is null)
            {
                continue;
            }

            var data = candidate.AsSpan(8, 16);
            if (FieldBytes(data).AsSpan().SequenceEqual(candidate))
            {
                found = data.ToArray();
                matches++;
            }
        }

        return matches == 1 ? found : null;
    }
}
