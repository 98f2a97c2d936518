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
    private RistrettoPoint notaryKey = RistrettoPoint.Identity;

    // zkgroup's notary signature is a poksho proof of knowledge of the signing key a, with the message bound in.
    private static readonly Internal.Poksho.PokshoStatement NotaryStatement = new Internal.Poksho.PokshoStatement().Add("public_key", ("private_key", "G"));

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

    /// <summary>
    /// Whether <paramref name="signature"/> is the server's notary signature over <paramref name="message"/> (what the
    /// group server signs: a group change's actions): a proof that the signer knows the notary key's secret, bound to
    /// the message.
    /// </summary>
    public bool VerifySignature(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == 64
        && NotaryStatement.Verify(signature, new Dictionary<string, RistrettoPoint> { ["public_key"] = notaryKey }, message);

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

        var notary = r.ReadPoint(); // The notary signature public key A = a·G.
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
        return new ServerPublicParams(data.ToArray(), epkCw, epkI, genericCw, genericI, endorsement) { notaryKey = notary };
    }

    public byte[] Serialize() => [.. serialized];

    /// <summary>The endorsement public key bytes, as node's <c>getEndorsementPublicKey</c> returns them.</summary>
    public byte[] EndorsementPublicKeyBytes => [0x00, .. EndorsementPublicKey.Bytes];
}
