using Google.Protobuf;
using SignalSharp.Account.Proto.Storage;
using SignalSharp.Service.Api;
using SignalSharp.Service.Storage;

namespace SignalSharp.Account.StorageService;

/// <summary>A contact as the phone keeps it in storage: enough to give sealed sends an access key.</summary>
internal sealed record StorageContact(Guid Aci, Guid? Pni, string? E164, byte[]? ProfileKey);

/// <summary>What one manifest version of the account's storage holds that this layer uses.</summary>
/// <param name="OwnProfileKey">The account record's profile key (32 bytes), or null when it has none of that length.</param>
/// <param name="UnlistedNumber">The account record's unlistedPhoneNumber, or null when the manifest lists no account record.</param>
internal sealed record StorageContents(ulong Version, IReadOnlyList<byte[]> GroupMasterKeys, IReadOnlyList<StorageContact> Contacts, byte[]? OwnProfileKey = null,
    bool? UnlistedNumber = null);

/// <summary>
/// Reads the phone's storage-service state: credentials over the chat socket, the manifest (decrypted with the
/// storage key from the account's master key), then the contact, GroupV2 and account items it lists.
/// </summary>
internal sealed class StorageReader(ChatApi chat, StorageServiceClient storage, byte[] masterKey)
{
    private const uint TypeContact = 1;
    private const uint TypeGroupV2 = 3;
    private const uint TypeAccount = 4;
    private const int ProfileKeyBytes = 32;

    /// <summary>The contents, or null when there is no manifest or none newer than <paramref name="afterVersion"/>.</summary>
    /// <exception cref="StorageDecryptionException">The manifest or an item did not decrypt under the account's keys.</exception>
    public async Task<StorageContents?> ReadAsync(ulong? afterVersion, CancellationToken cancellationToken)
    {
        var credentials = await chat.GetStorageCredentialsAsync(cancellationToken).ConfigureAwait(false);
        var manifest = afterVersion is { } after
            ? await storage.GetManifestIfNewerAsync(credentials, after, cancellationToken).ConfigureAwait(false)
            : await storage.GetManifestAsync(credentials, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return null;
        }

        var storageKey = StorageCrypto.StorageKey(masterKey);
        var record = DecryptManifest(storageKey, manifest);
        var wanted = record.Identifiers.Where(i => i.Type is TypeContact or TypeGroupV2 or TypeAccount).Select(i => i.Raw.ToByteArray()).ToList();
        var items = wanted.Count == 0 ? [] : await storage.ReadItemsAsync(credentials, wanted, cancellationToken).ConfigureAwait(false);

        var groups = new List<byte[]>();
        var contacts = new List<StorageContact>();
        byte[]? ownProfileKey = null;
        bool? unlisted = null;
        foreach (var item in items)
        {
            var storageRecord = DecryptItem(storageKey, record.RecordIkm.Span, item);
            switch (storageRecord.RecordCase)
            {
                case StorageRecordMessage.RecordOneofCase.GroupV2 when storageRecord.GroupV2.MasterKey.Length == 32:
                    groups.Add(storageRecord.GroupV2.MasterKey.ToByteArray());
                    break;
                case StorageRecordMessage.RecordOneofCase.Contact when ServiceId(storageRecord.Contact.AciBinary, storageRecord.Contact.Aci) is { } aci:
                    var contact = storageRecord.Contact;
                    contacts.Add(new StorageContact(
                        aci,
                        ServiceId(contact.PniBinary, contact.Pni),
                        string.IsNullOrEmpty(contact.E164) ? null : contact.E164,
                        contact.ProfileKey.Length == ProfileKeyBytes ? contact.ProfileKey.ToByteArray() : null));
                    break;
                // Sealed under our own storage key: only a device of this account wrote it.
                case StorageRecordMessage.RecordOneofCase.Account:
                    ownProfileKey = storageRecord.Account.ProfileKey.Length == ProfileKeyBytes ? storageRecord.Account.ProfileKey.ToByteArray() : null;
                    unlisted = storageRecord.Account.UnlistedPhoneNumber;
                    break;
            }
        }

        return new StorageContents(manifest.Version, groups, contacts, ownProfileKey, unlisted);
    }

    /// <summary>A record's service id: the 16 binary bytes when present, else the string form (bare or "PNI:"-prefixed).</summary>
    internal static Guid? ServiceId(Google.Protobuf.ByteString binary, string text)
    {
        if (binary.Length == 16)
        {
            return new Guid(binary.Span, bigEndian: true);
        }

        return Api.ServiceId.TryParse(text, out var parsed) ? parsed.Uuid : null;
    }

    internal static ManifestRecordMessage DecryptManifest(byte[] storageKey, StorageManifest manifest)
    {
        var plaintext = StorageCrypto.Decrypt(StorageCrypto.ManifestKey(storageKey, manifest.Version), manifest.Value, "the manifest");
        ManifestRecordMessage record;
        try
        {
            record = ManifestRecordMessage.Parser.ParseFrom(plaintext);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new StorageDecryptionException("the manifest", e);
        }

        // The version inside is authenticated; the one outside is not.
        if (record.Version != manifest.Version)
        {
            throw new StorageDecryptionException($"the manifest (version {record.Version} inside, {manifest.Version} outside)");
        }

        return record;
    }

    internal static StorageRecordMessage DecryptItem(byte[] storageKey, ReadOnlySpan<byte> recordIkm, StorageItem item)
    {
        var key = StorageCrypto.ItemKey(storageKey, recordIkm, item.Key);
        var plaintext = StorageCrypto.Decrypt(key, item.Value, "a storage item");
        try
        {
            return StorageRecordMessage.Parser.ParseFrom(plaintext);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new StorageDecryptionException("a storage item", e);
        }
    }
}
