using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup;

/// <summary>
/// The zkgroup server's public keys (673 bytes). Only the keys a groups-v2 client needs are exposed; the rest are
/// parsed and validated so that the serialization round-trips.
/// </summary>
public sealed class ServerPublicParams
{
    public const int Length = 673;

    private readonly byte[] serialized;

    private ServerPublicParams(byte[] serialized, RistrettoPoint expiringProfileKeyCw, RistrettoPoint expiringProfileKeyI, RistrettoPoint genericCw, RistrettoPoint[] genericI, RistrettoPoint endorsementKey)
    {
        this.serialized = serialized;
        ExpiringProfileKeyCw = expiringProfileKeyCw;
        ExpiringProfileKeyI = expiringProfileKeyI;
        GenericCw = genericCw;
        GenericI = genericI;
        EndorsementPublicKey = endorsementKey;
    }

    /// <summary>Key (C_W, I) of the legacy-system expiring profile-key credential.</summary>
    internal RistrettoPoint ExpiringProfileKeyCw { get; }

    internal RistrettoPoint ExpiringProfileKeyI { get; }

    /// <summary>C_W of the generic zkcredential key (auth credentials).</summary>
    internal RistrettoPoint GenericCw { get; }

    /// <summary>I[k] of the generic zkcredential key serves credentials with k + 2 attribute points.</summary>
    internal RistrettoPoint[] GenericI { get; }

    /// <summary>The group-send endorsement root public key.</summary>
    internal RistrettoPoint EndorsementPublicKey { get; }

    public static ServerPublicParams Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(ServerPublicParams));
        r.ExpectVersion(0);
        for (var i = 0; i < 2; i++)
        {
            // Legacy auth key and legacy profile-key key (C_W, I each): unused by current clients.
            r.ReadPoint();
            r.ReadPoint();
        }

        r.ReadBytes(32); // The notary signature public key (an X25519-style key, not a ristretto point).
        r.ReadPoint(); // Receipt key (C_W, I).
        r.ReadPoint();
        r.ReadPoint(); // Legacy PNI credential key.
        r.ReadPoint();
        var epkCw = r.ReadPoint();
        var epkI = r.ReadPoint();
        r.ReadPoint(); // Legacy auth-with-PNI key.
        r.ReadPoint();
        var genericCw = r.ReadPoint();
        var genericI = new RistrettoPoint[6];
        for (var i = 0; i < genericI.Length; i++)
        {
            genericI[i] = r.ReadPoint();
        }

        var endorsement = r.ReadPoint();
        r.ExpectEnd();
        return new ServerPublicParams(data.ToArray(), epkCw, epkI, genericCw, genericI, endorsement);
    }

    public byte[] Serialize() => [.. serialized];

    /// <summary>The endorsement public key bytes, as node's <c>getEndorsementPublicKey</c> returns them.</summary>
    public byte[] EndorsementPublicKeyBytes => [0x00, .. EndorsementPublicKey.Bytes];
}
