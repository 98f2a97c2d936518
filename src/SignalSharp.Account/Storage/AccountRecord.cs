using SignalSharp.Store;

namespace SignalSharp.Account.Storage;

/// <summary>
/// What a linked device must remember about its account beyond the protocol stores: who it is, how it logs in,
/// and which server it belongs to (the profile JSON, so the daemon reaches the server the device was linked on).
/// </summary>
public sealed record AccountRecord
{
    /// <summary>The account's E.164 number; null for an account without one (a phone that registered without a number).</summary>
    public required string? Number { get; init; }

    public required Guid Aci { get; init; }

    public required Guid? Pni { get; init; }

    public required uint DeviceId { get; init; }

    public required string Password { get; init; }

    private byte[]? profileKey;

    /// <summary>
    /// The account's profile key. A rotation replaces it in this record itself (<see cref="ReplaceProfileKeyAsync"/>),
    /// so every part of the account holding the record sends and presents the new key from then on.
    /// </summary>
    public byte[]? ProfileKey { get => Volatile.Read(ref profileKey); init => profileKey = value; }

    public byte[]? MasterKey { get; init; }

    /// <summary>Salt of the group auth credentials of an account without a PNI (from the primary at link time).</summary>
    public byte[]? AuthCredentialSalt { get; init; }

    public required string ServerProfileJson { get; init; }

    public override string ToString() => $"AccountRecord {{ Number = {Number}, Aci = {Aci}, DeviceId = {DeviceId} }}";

    /// <summary>How the user names the account (`-a`): its number, or its ACI when it has none.</summary>
    public string Name => Number ?? Aci.ToString();

    private const string KeyNumber = "account.number";
    private const string KeyAci = "account.aci";
    private const string KeyPni = "account.pni";
    private const string KeyDevice = "account.device_id";
    private const string KeyPassword = "account.password";
    private const string KeyProfileKey = "account.profile_key";
    private const string KeyMasterKey = "account.master_key";
    private const string KeyServer = "account.server_profile";
    private const string KeyAuthCredentialSalt = "account.auth_credential_salt";

    public async Task SaveAsync(AccountDatabase db, CancellationToken cancellationToken = default)
    {
        var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txDisposal = tx.ConfigureAwait(false);
        await tx.Settings.SetStringAsync(KeyNumber, Number, cancellationToken).ConfigureAwait(false);
        await tx.Settings.SetStringAsync(KeyAci, Aci.ToString(), cancellationToken).ConfigureAwait(false);
        await tx.Settings.SetStringAsync(KeyPni, Pni?.ToString(), cancellationToken).ConfigureAwait(false);
        await tx.Settings.SetInt64Async(KeyDevice, DeviceId, cancellationToken).ConfigureAwait(false);
        await tx.Settings.SetStringAsync(KeyPassword, Password, cancellationToken).ConfigureAwait(false);
        await tx.Settings.SetBytesAsync(KeyProfileKey, ProfileKey, cancellationToken).ConfigureAwait(false);
        await tx.Settings.SetBytesAsync(KeyMasterKey, MasterKey, cancellationToken).ConfigureAwait(false);
        await tx.Settings.SetStringAsync(KeyServer, ServerProfileJson, cancellationToken).ConfigureAwait(false);
        await tx.Settings.SetBytesAsync(KeyAuthCredentialSalt, AuthCredentialSalt, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores <paramref name="key"/> as the account's profile key, then uses it here.</summary>
    internal async Task ReplaceProfileKeyAsync(AccountDatabase db, byte[] key, CancellationToken cancellationToken)
    {
        await db.Settings.SetBytesAsync(KeyProfileKey, key, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref profileKey, key);
    }

    /// <summary>The stored account, or null when linking never finished in this database.</summary>
    public static async Task<AccountRecord?> LoadAsync(AccountDatabase db, CancellationToken cancellationToken = default)
    {
        var s = db.Settings;
        var number = await s.GetStringAsync(KeyNumber, cancellationToken).ConfigureAwait(false);
        var aci = await s.GetStringAsync(KeyAci, cancellationToken).ConfigureAwait(false);
        var device = await s.GetInt64Async(KeyDevice, cancellationToken).ConfigureAwait(false);
        var password = await s.GetStringAsync(KeyPassword, cancellationToken).ConfigureAwait(false);
        var server = await s.GetStringAsync(KeyServer, cancellationToken).ConfigureAwait(false);
        if (aci is null || device is null || password is null || server is null)
        {
            return null;
        }

        var pni = await s.GetStringAsync(KeyPni, cancellationToken).ConfigureAwait(false);
        return new AccountRecord
        {
            Number = number,
            Aci = Guid.Parse(aci),
            Pni = pni is null ? null : Guid.Parse(pni),
            DeviceId = (uint)device.Value,
            Password = password,
            ProfileKey = await s.GetBytesAsync(KeyProfileKey, cancellationToken).ConfigureAwait(false),
            MasterKey = await s.GetBytesAsync(KeyMasterKey, cancellationToken).ConfigureAwait(false),
            ServerProfileJson = server,
            AuthCredentialSalt = await s.GetBytesAsync(KeyAuthCredentialSalt, cancellationToken).ConfigureAwait(false),
        };
    }
}
