namespace SignalSharp.ZkGroup.Internal;

/// <summary>
/// Generators of zkgroup's original credential system (still used by the expiring profile-key credential) and of the
/// profile-key commitment, re-derived in libsignal's generation order (which differs from its serialized order).
/// </summary>
internal static class LegacyCredentialGenerators
{
    private static readonly Lazy<Points> Credentials = new(() =>
    {
        var sho = ShoHmacSha256.Create("Signal_ZKGroup_20200424_Constant_Credentials_SystemParams_Generate", []);
        var gw = sho.GetPoint();
        var gwPrime = sho.GetPoint();
        var gx0 = sho.GetPoint();
        var gx1 = sho.GetPoint();
        var gy = new RistrettoPoint[7];
        for (var i = 1; i <= 4; i++)
        {
            gy[i] = sho.GetPoint();
        }

        var gm = new RistrettoPoint[6];
        for (var i = 1; i <= 4; i++)
        {
            gm[i] = sho.GetPoint();
        }

        var gv = sho.GetPoint();
        sho.GetPoint(); // G_z, unused by clients.

        // Later additions were appended so existing generators never changed.
        gy[5] = sho.GetPoint();
        gy[6] = sho.GetPoint();
        gm[5] = sho.GetPoint();
        return new Points(gw, gwPrime, gx0, gx1, gy, gm, gv);
    });

    private static readonly Lazy<RistrettoPoint[]> Commitment = new(() =>
    {
        var sho = ShoHmacSha256.Create("Signal_ZKGroup_20200424_Constant_ProfileKeyCommitment_SystemParams_Generate", []);
        return [sho.GetPoint(), sho.GetPoint(), sho.GetPoint()];
    });

    public static RistrettoPoint Gw => Credentials.Value.Gw;

    public static RistrettoPoint GwPrime => Credentials.Value.GwPrime;

    public static RistrettoPoint Gx0 => Credentials.Value.Gx0;

    public static RistrettoPoint Gx1 => Credentials.Value.Gx1;

    public static RistrettoPoint GV => Credentials.Value.GV;

    /// <summary>G_y1..G_y6 (one-based, as in libsignal).</summary>
    public static RistrettoPoint Gy(int i) => Credentials.Value.Gy[i];

    /// <summary>G_m1..G_m5 (one-based).</summary>
    public static RistrettoPoint Gm(int i) => Credentials.Value.Gm[i];

    /// <summary>G_j1..G_j3 of the profile-key commitment (one-based).</summary>
    public static RistrettoPoint Gj(int i) => Commitment.Value[i - 1];

    private sealed record Points(RistrettoPoint Gw, RistrettoPoint GwPrime, RistrettoPoint Gx0, RistrettoPoint Gx1, RistrettoPoint[] Gy, RistrettoPoint[] Gm, RistrettoPoint GV);
}
