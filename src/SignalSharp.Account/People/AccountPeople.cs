using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Profiles;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Sending;
using SignalSharp.Account.Storage;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Store;

namespace SignalSharp.Account.People;

/// <summary>
/// The account's <see cref="IAccountPeople"/> and the background work behind it: contacts' profiles kept current,
/// the blocked list kept in step with the primary device. Each call goes to the helper that does it.
/// </summary>
internal sealed class AccountPeople : IAccountPeople
{
    private const uint PrimaryDeviceId = 1;

    private readonly AccountDatabase db;
    private readonly ChatApi api;
    private readonly AccountRecord record;
    private readonly RecipientResolver recipients;
    private readonly ProfileRefresher profiles;
    private readonly OwnProfileWriter ownProfile;
    private readonly AccountAttributesRefresher attributes;
    private readonly BlockList blockList;
    private readonly ContactListSync contactSync;
    private readonly UserDirectory directory;
    private readonly StorageService.StorageWriteBack storage;
    private readonly Linking.DeviceAdder deviceAdder;
    private readonly MessageRequestAnswers messageRequests;
    private readonly ILogger logger;

    public AccountPeople(AccountDatabase db, ChatApi api, AccountRecord record, ServerProfile serverProfile, RecipientResolver recipients, SemaphoreSlim protocolGate,
        StorageService.StorageWriteBack storage, Func<bool> readReceipts, ILogger logger, TimeProvider time)
    {
        this.storage = storage;
        this.logger = logger;
        deviceAdder = new Linking.DeviceAdder(db, api, record, readReceipts);
        this.db = db;
        this.api = api;
        this.record = record;
        this.recipients = recipients;
        profiles = new ProfileRefresher(db, api, record.Aci, new ProfileAvatarFetcher(new Avatars.AvatarFiles(db.DirectoryPath), serverProfile, logger), logger, time);
        ownProfile = new OwnProfileWriter(db, api, record, serverProfile, logger);
        attributes = new AccountAttributesRefresher(db, api, record, logger);
        var ownDevices = new OwnDeviceSync(api, db, record, protocolGate, logger);
        blockList = new BlockList(db, record, recipients, ownDevices, storage, logger);
        messageRequests = new MessageRequestAnswers(recipients, ownDevices);
        contactSync = new ContactListSync(db, api, record, serverProfile, protocolGate, logger);
        directory = new UserDirectory(db, api);
    }

    /// <summary>Told the account's new profile key after a rotation wrote the profile under it (the groups record it).</summary>
    public Func<byte[], CancellationToken, Task> ProfileKeyRotated { get; init; } = (_, _) => Task.CompletedTask;

    /// <summary>Starts keeping profiles current (those of the contacts first); the task ends with <paramref name="stopping"/>.</summary>
    public async Task<Task> StartAsync(CancellationToken stopping)
    {
        var worker = Task.Run(() => profiles.RunAsync(stopping), CancellationToken.None);
        foreach (var contact in await db.Contacts.ListAsync(stopping).ConfigureAwait(false))
        {
            profiles.Request(contact.Recipient.Aci ?? Guid.Empty);
        }

        return worker;
    }

    /// <summary>On a primary, one of the start's checks: writes the account's attributes when the server holds an older access key than our profile key's.</summary>
    internal Task RefreshAttributesIfBehindAsync(CancellationToken cancellationToken) => attributes.RefreshIfBehindAsync(cancellationToken);

    /// <summary>Received content: a message asks for its sender's profile (fetched only when old or its key changed); a blocked-list sync is applied.</summary>
    public async Task OnContentAsync(Guid sender, Content content, CancellationToken cancellationToken)
    {
        if (content.DataMessage is not null)
        {
            profiles.Request(sender);
        }

        await blockList.OnContentAsync(sender, content, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OwnProfile> UpdateProfileAsync(ProfileUpdate update, CancellationToken cancellationToken)
    {
        var (written, avatarKey, rotatedKey) = await ownProfile.WriteAsync(update, cancellationToken).ConfigureAwait(false);
        await storage.OwnProfileAsync(written.GivenName, written.FamilyName, avatarKey ?? (update.RemoveAvatar ? "" : null), cancellationToken, rotatedKey)
            .ConfigureAwait(false);
        if (rotatedKey is not null)
        {
            // Messages carry the new key from now on. A primary gives the server the new key's access key first (a
            // group change or message tells contacts the key, and their sealed sends to us must then pass); each group
            // we are in records it (Signal's apps do the same), and a primary tells its linked devices with a contact
            // sync of its own entry.
            await attributes.ProfileKeyRotatedAsync(cancellationToken).ConfigureAwait(false);
            await ProfileKeyRotated(rotatedKey, cancellationToken).ConfigureAwait(false);
            if (record.DeviceId == PrimaryDeviceId)
            {
                try
                {
                    await contactSync.SendOwnProfileKeyAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is Service.ServiceException or AccountException)
                {
                    // The rotation stands; the linked devices learn the key from the next full contact sync.
                    ProfileLog.LinkedDevicesNotTold(logger, e.GetType().Name);
                }
            }
        }

        return written;
    }

    public Task SetBlockedAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, bool blocked, CancellationToken cancellationToken) =>
        blockList.SetAsync(people, groups, blocked, cancellationToken);

    public async Task UpdateContactNameAsync(RecipientAddress recipient, string? name, CancellationToken cancellationToken)
    {
        var row = await RowAsync(recipient, cancellationToken).ConfigureAwait(false);
        var trimmed = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        await db.Contacts.SetNameAsync(row, trimmed, cancellationToken).ConfigureAwait(false);
        if (await db.Recipients.GetAsync(row, cancellationToken).ConfigureAwait(false) is { } contact)
        {
            await storage.ContactNamedAsync(contact, trimmed, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RemoveContactAsync(RecipientAddress recipient, bool forget, CancellationToken cancellationToken)
    {
        var row = await RowAsync(recipient, cancellationToken).ConfigureAwait(false);
        await db.Contacts.RemoveAsync(row, cancellationToken).ConfigureAwait(false);
        if (forget)
        {
            // Forgetting also drops what the account learned of them: their profile key and name.
            await db.Recipients.SetProfileKeyAsync(row, null, cancellationToken).ConfigureAwait(false);
            await db.Recipients.SetProfileNameAsync(row, null, null, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken cancellationToken)
    {
        var devices = await api.GetDevicesAsync(cancellationToken).ConfigureAwait(false);
        var identity = await db.ProtocolStores(Store.Protocol.AccountIdentity.Aci).IdentityKeys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        return
        [
            .. devices.OrderBy(d => d.Id).Select(d => new DeviceSummary(
                d.Id,
                DeviceName(d.Name, identity.PrivateKey),
                DateTimeOffset.FromUnixTimeMilliseconds(d.Created),
                DateTimeOffset.FromUnixTimeMilliseconds(d.LastSeen),
                d.Id == record.DeviceId)),
        ];
    }

    public Task RemoveDeviceAsync(uint deviceId, CancellationToken cancellationToken) => api.RemoveDeviceAsync(deviceId, cancellationToken);

    public Task AddDeviceAsync(string linkUri, CancellationToken cancellationToken) => deviceAdder.AddAsync(linkUri, cancellationToken);

    public async Task SetDeviceNameAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        if (trimmed.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(trimmed) > Linking.DeviceNameCipher.MaxPlaintextBytes)
        {
            throw new InvalidPeopleRequestException($"a device name is 1 to {Linking.DeviceNameCipher.MaxPlaintextBytes} bytes of UTF-8");
        }

        var identity = await db.ProtocolStores(Store.Protocol.AccountIdentity.Aci).IdentityKeys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        await api.SetDeviceNameAsync(record.DeviceId, Linking.DeviceNameCipher.Encrypt(trimmed, identity.PublicKey), cancellationToken).ConfigureAwait(false);
    }

    public Task SendContactsAsync(CancellationToken cancellationToken) => contactSync.SendAsync(cancellationToken);

    public Task SendMessageRequestResponseAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, MessageRequestResponse response,
        CancellationToken cancellationToken) =>
        messageRequests.SendAsync(people, groups, response, cancellationToken);

    public Task<IReadOnlyList<UserStatus>> GetUserStatusAsync(IReadOnlyList<RecipientAddress> recipients, CancellationToken cancellationToken) =>
        directory.StatusAsync(recipients, cancellationToken);

    public async Task<byte[]> GetAvatarAsync(AvatarSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var files = new Avatars.AvatarFiles(db.DirectoryPath);
        string path;
        switch (source)
        {
            case AvatarSource.Group group:
                path = files.GroupFile(group.Id.Bytes);
                break;
            case AvatarSource.Profile profile:
                var aci = await recipients.ResolveAsync(profile.Recipient, cancellationToken).ConfigureAwait(false);
                var row = await db.Recipients.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false);
                path = files.ProfileFile(row?.E164, aci);
                break;
            case AvatarSource.Contact contact:
                return await ContactAvatarAsync(files, contact.Recipient, cancellationToken).ConfigureAwait(false)
                    ?? throw new AvatarNotFoundException();
            default:
                throw new ArgumentOutOfRangeException(nameof(source));
        }

        return await ReadAvatarAsync(path, cancellationToken).ConfigureAwait(false) ?? throw new AvatarNotFoundException();
    }

    // The contact sync names the file by the number the phone gave, else by ACI; the store links the two when it can.
    // Only what is stored is consulted: a contact-list avatar never needs a directory lookup.
    private async Task<byte[]?> ContactAvatarAsync(Avatars.AvatarFiles files, RecipientAddress recipient, CancellationToken cancellationToken)
    {
        Store.Recipients.Recipient? row;
        string? number;
        Guid? aci;
        if (recipient.AsAci is { } given)
        {
            row = await db.Recipients.GetByAciAsync(given.Uuid, cancellationToken).ConfigureAwait(false);
            (number, aci) = (row?.E164, given.Uuid);
        }
        else
        {
            row = await db.Recipients.GetByE164Async(recipient.Value, cancellationToken).ConfigureAwait(false);
            (number, aci) = (recipient.Value, row?.Aci);
        }

        if (number is not null && await ReadAvatarAsync(files.ContactFile(number, null), cancellationToken).ConfigureAwait(false) is { } byNumber)
        {
            return byNumber;
        }

        return aci is null ? null : await ReadAvatarAsync(files.ContactFile(null, aci), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadAvatarAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    // A name another client wrote in a form we cannot read is shown as none rather than failing the whole list.
    private static string? DeviceName(byte[]? encrypted, Crypto.ECPrivateKey key)
    {
        if (encrypted is not { Length: > 0 })
        {
            return null;
        }

        try
        {
            return Linking.DeviceNameCipher.Decrypt(encrypted, key);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private async Task<long> RowAsync(RecipientAddress recipient, CancellationToken cancellationToken)
    {
        var aci = await recipients.ResolveAsync(recipient, cancellationToken).ConfigureAwait(false);
        if (aci == record.Aci)
        {
            throw new InvalidPeopleRequestException("the account itself is not one of its contacts");
        }

        return (await db.Recipients.GetOrCreateByAciAsync(aci, cancellationToken).ConfigureAwait(false)).Id;
    }
}
