using Microsoft.Extensions.Logging;
using SignalSharp.Account.Storage;
using SignalSharp.Service.Api;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;
using SignalSharp.ZkGroup.Profiles;

namespace SignalSharp.Account.Profiles;

/// <summary>
/// Keeps the server's copy of the account's attributes in step with the account, as Signal's primaries do after a
/// profile key rotation (and at a start that finds them behind): the unidentified-access key sealed sends to us must
/// present is derived from our profile key, so after a rotation the server must hold the new one, or a contact who
/// learned the new key has its sealed sends to us refused.
/// Only the primary device writes them. Signal's server would take the write from any device, but it replaces every
/// account-wide field with what the body says, the registration lock first (left out, it is cleared); a linked
/// device cannot know whether the account has one, nor its other settings, so it never writes.
/// A SignalSharp primary registered the account itself without a registration lock and sets none (no PIN support),
/// so it writes none; discoverable by number unless the storage account record says the number is unlisted (another
/// device's setting), and no unrestricted sealed access, as at registration; the device name the server lists for this
/// device is read back and sent as it is (the write would clear it otherwise).
/// </summary>
internal sealed class AccountAttributesRefresher(AccountDatabase db, ChatApi api, AccountRecord record, ILogger logger)
{
    private const uint PrimaryDeviceId = 1;

    /// <summary>The access key the server was last given, so that a start can tell whether it is behind.</summary>
    private const string KeySentAccessKey = "account.attributes_access_key";

    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Whether this device writes the account's attributes (only a primary does).</summary>
    public bool Writes => record.DeviceId == PrimaryDeviceId;

    /// <summary>Writes the attributes with the access key of the account's current profile key.</summary>
    /// <exception cref="InvalidOperationException">This is a linked device, or the account has no profile key.</exception>
    /// <exception cref="Service.ServiceException">The device list could not be read or the server refused the write.</exception>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!Writes)
        {
            throw new InvalidOperationException("only the primary device writes the account's attributes");
        }

        // One write at a time, each with the key current when it starts: a write at start never lands after a rotation's.
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        var accessKey = CurrentAccessKey() ?? throw new InvalidOperationException("the account has no profile key");
        var devices = await api.GetDevicesAsync(cancellationToken).ConfigureAwait(false);
        var aciRegistration = await db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.GetLocalRegistrationIdAsync(cancellationToken).ConfigureAwait(false);
        uint? pniRegistration = record.Pni is null
            ? null
            : await db.ProtocolStores(AccountIdentity.Pni).IdentityKeys.GetLocalRegistrationIdAsync(cancellationToken).ConfigureAwait(false);
        var unlisted = await db.Settings.GetBooleanAsync(StorageService.StorageSync.UnlistedNumberKey, cancellationToken).ConfigureAwait(false) == true;
        var attributes = new AccountAttributesWrite(aciRegistration, pniRegistration, accessKey)
        {
            Name = devices.FirstOrDefault(d => d.Id == record.DeviceId)?.Name,
            DiscoverableByPhoneNumber = !unlisted,
        };
        await new AccountAttributesApi(api.Connection).SetAsync(attributes, cancellationToken).ConfigureAwait(false);
        await db.Settings.SetBytesAsync(KeySentAccessKey, accessKey, cancellationToken).ConfigureAwait(false);
        ProfileLog.AttributesWritten(logger);
    }

    /// <summary>
    /// After a rotation: writes the new access key; a failure is logged (the rotation stands, and the next start
    /// writes it again, <see cref="RefreshIfBehindAsync"/>). Nothing on a linked device, which says so in the log.
    /// </summary>
    public async Task ProfileKeyRotatedAsync(CancellationToken cancellationToken)
    {
        if (!Writes)
        {
            ProfileLog.AttributesLeftToPrimary(logger);
            return;
        }

        await TryRefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>On a primary, at start: writes the attributes when the server was last given another access key than ours (or none recorded).</summary>
    public async Task RefreshIfBehindAsync(CancellationToken cancellationToken)
    {
        if (!Writes || CurrentAccessKey() is not { } accessKey)
        {
            return;
        }

        var sent = await db.Settings.GetBytesAsync(KeySentAccessKey, cancellationToken).ConfigureAwait(false);
        if (sent is null || !sent.AsSpan().SequenceEqual(accessKey))
        {
            await TryRefreshAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TryRefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Service.ServiceException e)
        {
            ProfileLog.AttributesFailed(logger, e.GetType().Name);
        }
    }

    private byte[]? CurrentAccessKey() => record.ProfileKey is { } key ? new ProfileKey(key).DeriveAccessKey() : null;
}
