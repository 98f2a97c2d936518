namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// The fixed generator pairs of zkgroup's two group encryption schemes, derived the way libsignal generated its
/// hard-coded bytes (SHO with an empty data absorb, then two uniform points).
/// </summary>
internal static class GroupGenerators
{
    private static readonly Lazy<(RistrettoPoint G1, RistrettoPoint G2)> Uid = new(() =>
        Derive("Signal_ZKGroup_20200424_Constant_UidEncryption_SystemParams_Generate"));

    private static readonly Lazy<(RistrettoPoint G1, RistrettoPoint G2)> ProfileKey = new(() =>
        Derive("Signal_ZKGroup_20200424_Constant_ProfileKeyEncryption_SystemParams_Generate"));

    public static RistrettoPoint Ga1 => Uid.Value.G1;

    public static RistrettoPoint Ga2 => Uid.Value.G2;

    public static RistrettoPoint Gb1 => ProfileKey.Value.G1;

    public static RistrettoPoint Gb2 => ProfileKey.Value.G2;

    private static (RistrettoPoint, RistrettoPoint) Derive(string label)
    {
        var sho = ShoHmacSha256.Create(label, []);
        var g1 = sho.GetPoint();
        var g2 = sho.GetPoint();
        return (g1.WithFixedTable(), g2.WithFixedTable());
    }
}
