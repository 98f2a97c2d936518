using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Service.Api;
using SignalSharp.Service.Provisioning;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Linking;

/// <summary>
/// Links a new device to a primary account (signal-cli's addDevice): a one-time provisioning code from the server,
/// then the account's identities, number, profile key and master key sealed to the key in the new device's
/// <c>sgnl://linkdevice</c> URI and handed to its provisioning socket; the new device then links itself with the code.
/// </summary>
internal sealed class DeviceAdder(AccountDatabase db, ChatApi api, AccountRecord record, Func<bool> readReceipts)
{
    private const uint PrimaryDeviceId = 1;

    /// <exception cref="InvalidPeopleRequestException">Not a primary account, a malformed URI, or a link code that expired.</exception>
    public async Task AddAsync(string linkUri, CancellationToken cancellationToken)
    {
        if (record.DeviceId != PrimaryDeviceId)
        {
            throw new InvalidPeopleRequestException($"only the primary device links new devices; this is device {record.DeviceId}");
        }

        DeviceLinkUri link;
        try
        {
            link = DeviceLinkUri.Parse(linkUri);
        }
        catch (FormatException e)
        {
            throw new InvalidPeopleRequestException("invalid device link URI: " + e.Message);
        }

        var aci = await db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        var pni = record.Pni is null ? null : await db.ProtocolStores(AccountIdentity.Pni).IdentityKeys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        var code = await api.GetProvisioningCodeAsync(cancellationToken).ConfigureAwait(false);
        var data = new ProvisionData
        {
            Aci = record.Aci,
            Pni = record.Pni,
            Number = record.Number,
            ProvisioningCode = code,
            AciIdentity = new IdentityKeyMaterial(aci.IdentityKey.Serialize(), aci.PrivateKey.Serialize()),
            PniIdentity = pni is null ? null : new IdentityKeyMaterial(pni.IdentityKey.Serialize(), pni.PrivateKey.Serialize()),
            ProfileKey = record.ProfileKey,
            MasterKey = record.MasterKey,
            AuthCredentialSalt = record.AuthCredentialSalt,
            ReadReceipts = readReceipts(),
            ProvisioningVersion = ProvisionSealer.CurrentProvisioningVersion,
        };
        try
        {
            await api.SendProvisioningMessageAsync(link.Address, ProvisionSealer.Seal(data, link.PublicKey), cancellationToken).ConfigureAwait(false);
        }
        catch (UnexpectedResponseException e) when (e.Status == 404)
        {
            throw new InvalidPeopleRequestException("the new device is no longer waiting for this link (its code expired or it closed): show a new one");
        }
    }
}
