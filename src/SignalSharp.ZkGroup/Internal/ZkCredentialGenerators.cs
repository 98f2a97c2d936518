namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// zkcredential's system generators, derived at first use from a SHO-SHA256 (libsignal hard-codes nothing for
/// them): G_w, G_w', G_x0, G_x1, G_V, G_z, then G_y0..G_y6, in that squeeze order.
/// </summary>
internal static class ZkCredentialGenerators
{
    public const int MaxAttributes = 7;

    private static readonly Lazy<RistrettoPoint[]> All = new(() =>
    {
        var sho = new ShoSha256("Signal_ZKCredential_ConstantSystemParams_generate_20230410"u8);
        return [.. Enumerable.Range(0, 6 + MaxAttributes).Select(_ => sho.GetPoint().WithFixedTable())];
    });

    public static RistrettoPoint Gw => All.Value[0];

    public static RistrettoPoint GwPrime => All.Value[1];

    public static RistrettoPoint Gx0 => All.Value[2];

    public static RistrettoPoint Gx1 => All.Value[3];

    public static RistrettoPoint GV => All.Value[4];

    public static RistrettoPoint Gz => All.Value[5];

    public static RistrettoPoint Gy(int i) => All.Value[6 + i];
}
