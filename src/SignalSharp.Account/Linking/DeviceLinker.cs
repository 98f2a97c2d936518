using SignalSharp.Account.Api;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Storage;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Provisioning;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Linking;

/// <summary>
/// Links this machine as a secondary device of an existing account: provisioning socket, link URI for the primary
/// to scan, the decrypted ProvisionMessage, fresh ACI and PNI pre-keys, <c>PUT /v1/devices/link</c>, the account
/// saved in its own database under the data directory, and the one-time keys uploaded on the new login. An account
/// without a phone number has no PNI: it gets ACI keys only, and its directory is named by its ACI.
/// </summary>
public sealed class DeviceLinker(ServerProfile profile, string configDirectory, ILogger? logger = null)
{
    private static readonly TimeSpan MinimumProvisioningLifetime = TimeSpan.FromSeconds(1);

    /// <summary>One-time pre-keys uploaded per identity (tests use fewer: Kyber key generation is not free).</summary>
    public int OneTimePreKeyCount { get; init; } = PreKeyGenerator.OneTimeCount;

    /// <summary>
    /// Links and returns the saved account; <paramref name="showLinkUri"/> receives the URI to present as a QR code,
    /// and a new one each time the server closed the provisioning socket before the phone scanned (production does
    /// after 60 s idle or 90 s in all), until the phone scans one or <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <exception cref="AccountAlreadyLinkedException">The data directory already holds this account.</exception>
    public async Task<AccountRecord> LinkAsync(string deviceName, Action<Uri> showLinkUri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(showLinkUri);
        CheckDeviceName(deviceName);
        ProvisionData? data;
        while ((data = await ProvisionAsync(showLinkUri, cancellationToken).ConfigureAwait(false)) is null)
        {
        }

        return await CompleteAsync(data, deviceName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first half of linking for a caller that shows the URI elsewhere and finishes later (signal-cli's
    /// <c>startLink</c> / <c>finishLink</c>): the provisioning socket stays open in the returned link until it is
    /// finished or disposed. Unlike <see cref="LinkAsync"/> it cannot show a new URI: when the server lets the code
    /// expire, finishing fails with <see cref="LinkCodeExpiredException"/>.
    /// </summary>
    public async Task<PendingDeviceLink> StartLinkAsync(CancellationToken cancellationToken = default)
    {
        var session = ProvisioningSession.Create();
        ProvisioningSocket? socket = null;
        try
        {
            socket = await ProvisioningSocket.ConnectAsync(profile, logger, cancellationToken: cancellationToken).ConfigureAwait(false);
            var address = await socket.WaitForAddressAsync(cancellationToken).ConfigureAwait(false);
            return new PendingDeviceLink(this, session, socket, session.LinkUri(address));
        }
        catch
        {
            if (socket is not null)
            {
                await socket.DisposeAsync().ConfigureAwait(false);
            }

            session.Dispose();
            throw;
        }
    }

    internal static void CheckDeviceName(string deviceName)
    {
        ArgumentNullException.ThrowIfNull(deviceName);
        if (Encoding.UTF8.GetByteCount(deviceName) > DeviceNameCipher.MaxPlaintextBytes)
        {
            throw new ArgumentException($"the device name is longer than {DeviceNameCipher.MaxPlaintextBytes} bytes of UTF-8", nameof(deviceName));
        }
    }

    /// <summary>What follows the phone's ProvisionMessage: keys, <c>PUT /v1/devices/link</c>, the account saved.</summary>
    internal async Task<AccountRecord> CompleteAsync(ProvisionData data, string deviceName, CancellationToken cancellationToken)
    {
        // An account without a phone number (Signal-Server links those since August 2026) has no PNI either.
        if ((data.PniIdentity is null) != (data.Pni is null) || (data.Number is not null && data.Pni is null))
        {
            throw new LinkingFailedException("the primary device sent a PNI without its identity key, or a number without a PNI");
        }

        var name = data.Number ?? data.Aci.ToString();
        var directory = AccountDirectory.For(configDirectory, name);
        if (File.Exists(Path.Combine(directory, AccountDatabase.FileName)))
        {
            throw new AccountAlreadyLinkedException(name, directory);
        }

        AccountDirectory.CreateParents(directory);
        var created = false;
        try
        {
            var db = await AccountDatabase.OpenAsync(directory, cancellationToken).ConfigureAwait(false);
            await using var dbDisposal = db.ConfigureAwait(false);
            created = true;
            var record = await LinkIntoAsync(db, data, deviceName, cancellationToken).ConfigureAwait(false);
            AccountLog.Linked(logger ?? NullLogger.Instance, record.DeviceId);
            return record;
        }
        catch when (created)
        {
            // A half-linked account is useless (the code is burnt): leave no directory that claims the number.
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>One provisioning socket: the URI shown, then what the phone sent; null when the socket closed first.</summary>
    private async Task<ProvisionData?> ProvisionAsync(Action<Uri> showLinkUri, CancellationToken cancellationToken)
    {
        using var session = ProvisioningSession.Create();
        var opened = System.Diagnostics.Stopwatch.StartNew();
        var socket = await ProvisioningSocket.ConnectAsync(profile, logger, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (socket.ConfigureAwait(false))
        {
            // A socket that closes before it even gave an address is a failure, not an expired code.
            var address = await socket.WaitForAddressAsync(cancellationToken).ConfigureAwait(false);
            showLinkUri(session.LinkUri(address));
            try
            {
                return session.Decrypt(await socket.WaitForEnvelopeAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (Service.ServiceConnectionException e) when (socket.Closed.IsCompleted && !cancellationToken.IsCancellationRequested)
            {
                AccountLog.ProvisioningReopened(logger ?? NullLogger.Instance, e.GetType().Name);
            }
        }

        // A server that closes at once would otherwise be asked again and again without a pause.
        var pause = MinimumProvisioningLifetime - opened.Elapsed;
        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<AccountRecord> LinkIntoAsync(AccountDatabase db, ProvisionData data, string deviceName, CancellationToken cancellationToken)
    {
        var aciStores = db.ProtocolStores(AccountIdentity.Aci);
        var aciRegistration = KeyHelper.GenerateRegistrationId();
        await aciStores.IdentityKeys.SetLocalIdentityAsync(ToKeyPair(data.AciIdentity), aciRegistration, cancellationToken).ConfigureAwait(false);
        var aciKeys = await PreKeyGenerator.GenerateAllAsync(aciStores, OneTimePreKeyCount, cancellationToken).ConfigureAwait(false);
        uint? pniRegistration = null;
        PreKeyUpload? pniKeys = null;
        if (data.PniIdentity is { } pniIdentity)
        {
            var pniStores = db.ProtocolStores(AccountIdentity.Pni);
            pniRegistration = KeyHelper.GenerateRegistrationId();
            await pniStores.IdentityKeys.SetLocalIdentityAsync(ToKeyPair(pniIdentity), pniRegistration.Value, cancellationToken).ConfigureAwait(false);
            pniKeys = await PreKeyGenerator.GenerateAllAsync(pniStores, OneTimePreKeyCount, cancellationToken).ConfigureAwait(false);
        }

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        LinkDeviceResponse linked;
        var anonymous = new ChatConnection(profile, logger: logger);
        await using (anonymous.ConfigureAwait(false))
        {
            await anonymous.StartAsync(cancellationToken).ConfigureAwait(false);
            linked = await new ChatApi(anonymous).LinkDeviceAsync(data.Aci.ToString(), password, new LinkDeviceRequest(
                data.ProvisioningCode,
                // Encrypted to the ACI identity, as official clients send it: the phone's device list can read it, the server cannot.
                new LinkedDeviceAttributes(aciRegistration, pniRegistration, DeviceNameCipher.Encrypt(deviceName, IdentityKey.Deserialize(data.AciIdentity.PublicKey).PublicKey)),
                aciKeys.SignedPreKey!,
                pniKeys?.SignedPreKey,
                aciKeys.PqLastResortPreKey!,
                pniKeys?.PqLastResortPreKey), cancellationToken).ConfigureAwait(false);
        }

        var record = new AccountRecord
        {
            Number = data.Number,
            Aci = data.Aci,
            Pni = data.Pni,
            DeviceId = linked.DeviceId,
            Password = password,
            ProfileKey = data.ProfileKey,
            // Newer primaries may provision only the account entropy pool, from which the master key derives.
            MasterKey = data.MasterKey ?? (data.AccountEntropyPool is { } pool ? StorageService.StorageCrypto.MasterKeyFromEntropyPool(pool) : null),
            ServerProfileJson = profile.ToJson(),
            AuthCredentialSalt = data.AuthCredentialSalt,
        };
        await record.SaveAsync(db, cancellationToken).ConfigureAwait(false);
        await db.Recipients.ResolveAsync(data.Aci, data.Pni, data.Number, cancellationToken).ConfigureAwait(false);

        // The server (and the mock's link completion) wants one-time keys for each identity on the new login.
        var chat = new ChatConnection(profile, new ChatCredentials(data.Aci.ToString(), linked.DeviceId, password), logger: logger);
        await using var chatDisposal = chat.ConfigureAwait(false);
        await chat.StartAsync(cancellationToken).ConfigureAwait(false);
        var api = new ChatApi(chat);
        await api.SetPreKeysAsync(aciKeys with { SignedPreKey = null, PqLastResortPreKey = null }, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (pniKeys is not null)
        {
            await api.SetPreKeysAsync(pniKeys with { SignedPreKey = null, PqLastResortPreKey = null }, pni: true, cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    private static IdentityKeyPair ToKeyPair(IdentityKeyMaterial material) =>
        new(IdentityKey.Deserialize(material.PublicKey), ECPrivateKey.Deserialize(material.PrivateKey));

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
