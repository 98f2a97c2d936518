using SignalSharp.Account.Api;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Messages;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Service.Api;
using SignalSharp.Store.Groups;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Sending;

/// <summary>
/// Delivers one padded Content to every device of a service id: sessions from pre-key bundles where missing,
/// one ciphertext per device, and the server's 409 (missing/extra devices) and 410 (stale devices) answers
/// repaired and retried.
/// </summary>
internal sealed class MessageSender(ChatApi api, ProtocolStores stores, Guid ownAci, uint ownDeviceId, ILogger logger)
{
    private const int MaxAttempts = 4;

    private readonly ProtocolAddress localAddress = new(ownAci.ToString(), ownDeviceId);

    /// <summary>
    /// Where the account records which member devices hold its group sender keys. When set, a device whose session is
    /// (re)built from a pre-key bundle (new, reinstalled, stale) or that the server says is gone loses its record, so
    /// the next group send distributes the sender key to it again: a reinstalled device has lost it.
    /// </summary>
    public SenderKeyShareStore? SenderKeyShares { get; init; }

    /// <summary>
    /// The account's protocol gate, when the caller does not hold it: the sender then takes it for each step that
    /// reads or changes sessions (device list, encryption, the repairs after a 409 or 410) and lets go of it while the
    /// request is on the wire, so that sends waiting on the server overlap instead of queueing one round trip after
    /// another. Null: the caller holds the gate throughout.
    /// </summary>
    public SemaphoreSlim? Gate { get; init; }

    /// <summary>
    /// Sends; returns false when the recipient has no device to send to (our own account without other devices).
    /// <paramref name="kind"/> says whether the server should wake the recipient's devices for it and keep it for
    /// devices that are offline (typing indicators are neither).
    /// </summary>
    public async Task<bool> SendAsync(Guid recipient, byte[] content, ulong timestamp, CancellationToken cancellationToken, SealedDelivery? sealedDelivery = null,
        DeliveryKind kind = DeliveryKind.Urgent)
    {
        var name = recipient.ToString();
        var isSelf = recipient == ownAci;
        var padded = ContentPadding.Pad(content);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var messages = await LockedAsync(() => EncryptForEveryDeviceAsync(name, isSelf, padded, sealedDelivery, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (messages is null)
            {
                return false;
            }

            var list = new DeviceCiphertextList(messages, timestamp) { Urgent = kind == DeliveryKind.Urgent, Online = kind == DeliveryKind.OnlineOnly };
            var outcome = sealedDelivery is null
                ? await api.SendMessageAsync(name, list, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await sealedDelivery.UnauthenticatedApi.SendMessageAsync(name, list, sealedDelivery.AccessKey, cancellationToken).ConfigureAwait(false);
            if (outcome is SendMessageOutcome.Sent)
            {
                return true;
            }

            await LockedAsync(() => RepairAsync(name, isSelf, outcome, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        throw new SendFailedException(name, $"device list still mismatched after {MaxAttempts} attempts");
    }

    /// <summary>One ciphertext per device of <paramref name="name"/> (sessions built where missing); null when it has no device.</summary>
    private async Task<List<DeviceCiphertext>?> EncryptForEveryDeviceAsync(string name, bool isSelf, byte[] padded, SealedDelivery? sealedDelivery,
        CancellationToken cancellationToken)
    {
        var devices = (await stores.Sessions.GetDeviceIdsAsync(name, cancellationToken).ConfigureAwait(false))
            .Where(d => !(isSelf && d == ownDeviceId)).ToList();
        if (devices.Count == 0)
        {
            devices = await FetchSessionsAsync(name, null, isSelf, cancellationToken).ConfigureAwait(false);
            if (devices.Count == 0)
            {
                return null;
            }
        }

        var messages = new List<DeviceCiphertext>(devices.Count);
        foreach (var device in devices)
        {
            var address = new ProtocolAddress(name, device);
            try
            {
                messages.Add(await EncryptAsync(address, padded, sealedDelivery, cancellationToken).ConfigureAwait(false));
            }
            catch (NoSessionException)
            {
                // The session with this device was archived (a resend request said it broke): start a new one.
                await FetchSessionsAsync(name, device, isSelf, cancellationToken).ConfigureAwait(false);
                messages.Add(await EncryptAsync(address, padded, sealedDelivery, cancellationToken).ConfigureAwait(false));
            }
        }

        return messages;
    }

    /// <summary>The server's 409 (devices missing or extra) or 410 (stale sessions) answer, repaired for the next attempt.</summary>
    private async Task<bool> RepairAsync(string name, bool isSelf, SendMessageOutcome outcome, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case SendMessageOutcome.MismatchedDevices mismatched:
                AccountLog.MismatchedDevices(logger, name, mismatched.Missing.Count, mismatched.Extra.Count);
                foreach (var extra in mismatched.Extra)
                {
                    await stores.Sessions.DeleteSessionAsync(new ProtocolAddress(name, extra), cancellationToken).ConfigureAwait(false);
                    await ForgetSharesAsync(name, extra, cancellationToken).ConfigureAwait(false);
                }

                foreach (var missing in mismatched.Missing)
                {
                    await FetchSessionsAsync(name, missing, isSelf, cancellationToken).ConfigureAwait(false);
                }

                break;
            case SendMessageOutcome.StaleDevices stale:
                AccountLog.StaleDevices(logger, name, stale.Stale.Count);
                foreach (var device in stale.Stale)
                {
                    await stores.Sessions.DeleteSessionAsync(new ProtocolAddress(name, device), cancellationToken).ConfigureAwait(false);
                    await FetchSessionsAsync(name, device, isSelf, cancellationToken).ConfigureAwait(false);
                }

                break;
        }

        return true;
    }

    private async Task<T> LockedAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (Gate is null)
        {
            return await work().ConfigureAwait(false);
        }

        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<DeviceCiphertext> EncryptAsync(ProtocolAddress address, byte[] padded, SealedDelivery? sealedDelivery, CancellationToken cancellationToken)
    {
        // The ciphertext names the device's registration id, which the session the cipher stores holds.
        var sessions = new StoredSessionWatch(stores.Sessions);
        int type;
        byte[] body;
        if (sealedDelivery is not null)
        {
            var sealedCipher = new SealedSessionCipher(sessions, stores.IdentityKeys, stores.PreKeys, stores.SignedPreKeys, stores.KyberPreKeys,
                stores.SenderKeys, localAddress);
            body = await sealedCipher.EncryptAsync(address, padded, sealedDelivery.Certificate, cancellationToken: cancellationToken).ConfigureAwait(false);
            type = 6;
        }
        else
        {
            var cipher = new SessionCipher(sessions, stores.IdentityKeys, stores.PreKeys, stores.SignedPreKeys, stores.KyberPreKeys, localAddress);
            var ciphertext = await cipher.EncryptAsync(address, padded, cancellationToken).ConfigureAwait(false);
            type = ciphertext.Type == CiphertextMessageType.PreKey ? 3 : 1;
            body = ciphertext.Serialize();
        }

        var record = sessions.Stored ?? await stores.Sessions.LoadSessionAsync(address, cancellationToken).ConfigureAwait(false);
        return new DeviceCiphertext(type, address.DeviceId, record?.RemoteRegistrationId ?? 0, body);
    }

    internal async Task<List<uint>> FetchSessionsAsync(string name, uint? deviceId, bool isSelf, CancellationToken cancellationToken)
    {
        var bundles = await api.GetPreKeysAsync(name, deviceId, cancellationToken: cancellationToken).ConfigureAwait(false);
        var identity = IdentityKey.Deserialize(bundles.IdentityKey);
        var builder = new SessionBuilder(stores.Sessions, stores.IdentityKeys, localAddress);
        var devices = new List<uint>();
        foreach (var device in bundles.Devices)
        {
            if (isSelf && device.DeviceId == ownDeviceId)
            {
                continue;
            }

            var bundle = new PreKeyBundle(
                device.RegistrationId,
                device.DeviceId,
                device.PreKey?.KeyId,
                device.PreKey is { } preKey ? ECPublicKey.Deserialize(preKey.PublicKey) : null,
                device.SignedPreKey.KeyId,
                ECPublicKey.Deserialize(device.SignedPreKey.PublicKey),
                device.SignedPreKey.Signature,
                identity,
                device.PqPreKey.KeyId,
                KemPublicKey.Deserialize(device.PqPreKey.PublicKey),
                device.PqPreKey.Signature);
            await builder.ProcessPreKeyBundleAsync(new ProtocolAddress(name, device.DeviceId), bundle, cancellationToken).ConfigureAwait(false);
            await ForgetSharesAsync(name, device.DeviceId, cancellationToken).ConfigureAwait(false);
            devices.Add(device.DeviceId);
        }

        return devices;
    }

    private async Task ForgetSharesAsync(string name, uint deviceId, CancellationToken cancellationToken)
    {
        if (SenderKeyShares is null || !Aci.TryParse(name, out var recipient))
        {
            return;
        }

        var aci = recipient.Uuid;

        if (await SenderKeyShares.ForgetAsync(aci, deviceId, cancellationToken).ConfigureAwait(false) > 0)
        {
            AccountLog.NewSessionForgetsSenderKeys(logger, name, deviceId);
        }
    }
}
