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

    /// <summary>Rebuilds a stored struct (uuid16 ‖ M1 ‖ M2) without recomputing its points.</summary>
    public static UidStruct Read(ref BincodeReader reader, ZkServiceIdKind kind)
    {
        var raw = reader.ReadBytes(16).ToArray();
        var m1 = reader.ReadPoint();
        var m2 = reader.ReadPoint();
        return new UidStruct(new ZkServiceId(kind, raw), m1, m2, raw);
    }

    public static RistrettoPoint CalcM1(ZkServiceId serviceId) => ShoHmacSha256.Create(M1Label, serviceId.ToBinary()).GetPoint();

    /// <summary><see cref="CalcM1"/> of each service id, the hash-to-curve square roots computed together.</summary>
    public static RistrettoPoint[] CalcM1Many(IEnumerable<ZkServiceId> serviceIds)
    {
        var hashes = new List<byte>();
        foreach (var id in serviceIds)
        {
            hashes.AddRange(ShoHmacSha256.Create(M1Label, id.ToBinary()).Squeeze(64));
        }

        return RistrettoPoint.FromUniformBytesMany(hashes.ToArray());
    }

    /// <summary>The 80-byte form used inside credentials: uuid16 ‖ M1 ‖ M2.</summary>
    public byte[] Serialize() => [.. rawUuid, .. M1.Bytes, .. M2.Bytes];
}
