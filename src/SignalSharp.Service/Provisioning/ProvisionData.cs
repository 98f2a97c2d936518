namespace SignalSharp.Service.Provisioning;

/// <summary>A Curve25519 identity key pair as Signal serializes it: public 33 bytes (0x05 prefix), private 32.</summary>
public sealed record IdentityKeyMaterial(byte[] PublicKey, byte[] PrivateKey)
{
    // The generated record ToString would print the private key.
    public override string ToString() => $"IdentityKeyMaterial {{ PublicKey = {Convert.ToBase64String(PublicKey)} }}";
}

/// <summary>What the primary device hands a newly linked device: the account and its secrets.</summary>
public sealed record ProvisionData
{
    public required Guid Aci { get; init; }

    public required Guid? Pni { get; init; }

    /// <summary>The account's E.164 number, if the primary sent one.</summary>
    public required string? Number { get; init; }

    /// <summary>One-time code that <c>PUT /v1/devices/link</c> must present (the server burns it on any failed attempt).</summary>
    public required string ProvisioningCode { get; init; }

    public required IdentityKeyMaterial AciIdentity { get; init; }

    public required IdentityKeyMaterial? PniIdentity { get; init; }

    public byte[]? ProfileKey { get; init; }

    public byte[]? MasterKey { get; init; }

    public string? AccountEntropyPool { get; init; }

    public byte[]? MediaRootBackupKey { get; init; }

    public bool ReadReceipts { get; init; }

    public string? UserAgent { get; init; }

    public uint ProvisioningVersion { get; init; }

    /// <summary>
    /// The account's salt for group auth credentials, which the server issues without a PNI to an account that has
    /// none (and so needs this salt to receive them); absent for an account with a phone number.
    /// </summary>
    public byte[]? AuthCredentialSalt { get; init; }

    public override string ToString() =>
        $"ProvisionData {{ Aci = {Aci}, Pni = {Pni}, Number = {Number}, UserAgent = {UserAgent}, ProvisioningVersion = {ProvisioningVersion} }}";
}
