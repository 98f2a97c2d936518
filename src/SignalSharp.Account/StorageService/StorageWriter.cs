using System.Security.Cryptography;
using Google.Protobuf;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto.Storage;
using SignalSharp.Service.Api;
using SignalSharp.Service.Storage;

namespace SignalSharp.Account.StorageService;

/// <summary>One record of the storage state as read: its storage id, its manifest type and the decrypted record.</summary>
internal sealed record StorageEntry(byte[] Key, uint Type, StorageRecordMessage Record);

/// <summary>
/// What a change does to the state it was given: records replaced (the entry read, and the record to put in its
/// place) and records added. Built anew for each attempt, from the state of that attempt.
/// </summary>
internal sealed class StorageEdit
{
    public List<(StorageEntry Old, StorageRecordMessage New)> Replaced { get; } = [];

    public List<(uint Type, StorageRecordMessage Record)> Added { get; } = [];

    public bool IsEmpty => Replaced.Count == 0 && Added.Count == 0;
}

/// <summary>The storage service kept answering that another device wrote first, attempt after attempt.</summary>
public sealed class StorageWriteConflictException(int attempts)
    : AccountException($"storage service: another device kept writing first ({attempts} attempts)");

/// <summary>
/// Writes the account's own changes into the storage service the way Signal's apps do: read the current manifest
/// and the records a change may touch, let the change edit them (a replaced record keeps every field it had,
/// unknown ones included, and goes in under a new random id while the old id is deleted), and write the next
/// manifest version with the same record key material. When another device wrote in between (409), the whole
/// read-edit-write is done again on what it wrote, so nothing either side wrote is lost.
/// </summary>
internal sealed class StorageWriter(ChatApi chat, StorageServiceClient storage, byte[] masterKey, uint deviceId)
{
    public const uint TypeContact = 1;
    public const uint TypeGroupV2 = 3;
    public const uint TypeAccount = 4;
    private const int MaxAttempts = 5;
    private const int StorageIdLength = 16;
    private const int RecordIkmLength = 32;

    /// <summary>Manifests the server refused as stale (another device wrote first) and that were read again.</summary>
    public int Conflicts { get; private set; }

    /// <summary>Whether the last write found no manifest at all (an account whose primary never created one).</summary>
    public bool FoundNoManifest { get; private set; }

    /// <summary>
    /// Applies <paramref name="change"/> to the current state and writes the result. Returns the version written,
    /// or null when the change had nothing to do or the account has no storage manifest yet (<see cref="FoundNoManifest"/>:
    /// the primary device creates it with <see cref="CreateAsync"/>; a linked device does not start one of its own).
    /// </summary>
    /// <exception cref="StorageWriteConflictException">Other devices kept writing first.</exception>
    /// <exception cref="StorageDecryptionException">The manifest did not decrypt under the account's keys.</exception>
    public async Task<ulong?> WriteAsync(Func<IReadOnlyList<StorageEntry>, StorageEdit> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var credentials = await chat.GetStorageCredentialsAsync(cancellationToken).ConfigureAwait(false);
        var manifest = await storage.GetManifestAsync(credentials, cancellationToken).ConfigureAwait(false);
        FoundNoManifest = manifest is null;
        return manifest is null ? null : await WriteOnAsync(credentials, manifest, change, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates the account's first manifest (version 1, a new record IKM, a new random id per record) with what the
    /// seed (loaded only when there is no manifest) adds to an empty state. Returns the version written, or null when
    /// a manifest exists already: creating is done once. When another device created one in between (409), the seed
    /// is applied to what that device wrote, adding only what it lacks, and written as the next version.
    /// </summary>
    /// <exception cref="StorageWriteConflictException">Other devices kept writing first.</exception>
    /// <exception cref="StorageDecryptionException">The other device's manifest did not decrypt under the account's keys.</exception>
    public async Task<ulong?> CreateAsync(Func<CancellationToken, Task<StorageSeed>> loadSeed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loadSeed);
        var credentials = await chat.GetStorageCredentialsAsync(cancellationToken).ConfigureAwait(false);
        if (await storage.GetManifestAsync(credentials, cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }

        var seed = await loadSeed(cancellationToken).ConfigureAwait(false);
        return await WriteOnAsync(credentials, null, seed.AddMissing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The read-edit-write loop from <paramref name="manifest"/> (null: from nothing, the first version).</summary>
    private async Task<ulong?> WriteOnAsync(StorageCredentials credentials, StorageManifest? manifest, Func<IReadOnlyList<StorageEntry>, StorageEdit> change,
        CancellationToken cancellationToken)
    {
        var storageKey = StorageCrypto.StorageKey(masterKey);
        for (var attempt = 1; ; attempt++)
        {
            var current = manifest is null ? Empty() : StorageReader.DecryptManifest(storageKey, manifest);
            var entries = manifest is null ? [] : await ReadEntriesAsync(credentials, storageKey, current, cancellationToken).ConfigureAwait(false);
            var edit = change(entries);
            if (edit.IsEmpty)
            {
                return null;
            }

            var (next, inserts, deletes) = Build(storageKey, current, edit);
            var sealedManifest = new StorageManifest(next.Version, StorageCrypto.Encrypt(StorageCrypto.ManifestKey(storageKey, next.Version), next.ToByteArray()));
            var newer = await storage.WriteAsync(credentials, sealedManifest, inserts, deletes, cancellationToken).ConfigureAwait(false);
            if (newer is null)
            {
                return next.Version;
            }

            Conflicts++;
            if (attempt == MaxAttempts)
            {
                throw new StorageWriteConflictException(attempt);
            }

            // The 409 carries the version that won; its records are read and the change made again on them.
            manifest = newer;
        }
    }

    /// <summary>The state before the first version: nothing listed, and the key material every record will be sealed with.</summary>
    private static ManifestRecordMessage Empty() =>
        new() { Version = 0, RecordIkm = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(RecordIkmLength)) };

    /// <summary>
    /// The contact, group and account records the manifest lists. A record that is missing or does not decrypt is
    /// left out: no change can touch it, and its id stays in the manifest as it was.
    /// </summary>
    private async Task<IReadOnlyList<StorageEntry>> ReadEntriesAsync(StorageCredentials credentials, byte[] storageKey, ManifestRecordMessage manifest,
        CancellationToken cancellationToken)
    {
        var types = new Dictionary<string, uint>();
        foreach (var identifier in manifest.Identifiers.Where(i => i.Type is TypeContact or TypeGroupV2 or TypeAccount))
        {
            types[Convert.ToHexString(identifier.Raw.Span)] = identifier.Type;
        }

        if (types.Count == 0)
        {
            return [];
        }

        var keys = types.Keys.Select(Convert.FromHexString).ToList();
        var items = await storage.ReadItemsAsync(credentials, keys, cancellationToken).ConfigureAwait(false);
        var entries = new List<StorageEntry>(items.Count);
        foreach (var item in items)
        {
            if (!types.TryGetValue(Convert.ToHexString(item.Key), out var type))
            {
                continue;
            }

            try
            {
                entries.Add(new StorageEntry(item.Key, type, StorageReader.DecryptItem(storageKey, manifest.RecordIkm.Span, item)));
            }
            catch (StorageDecryptionException)
            {
                // Not ours to judge: kept untouched.
            }
        }

        return entries;
    }

    private (ManifestRecordMessage Next, List<StorageItem> Inserts, List<byte[]> Deletes) Build(byte[] storageKey, ManifestRecordMessage current, StorageEdit edit)
    {
        // A clone keeps whatever the manifest carries beyond what this client knows.
        var next = current.Clone();
        next.Version = current.Version + 1;
        next.SourceDevice = deviceId;
        var deletes = edit.Replaced.Select(r => r.Old.Key).ToList();
        var dropped = deletes.Select(Convert.ToHexString).ToHashSet();
        next.Identifiers.Clear();
        next.Identifiers.AddRange(current.Identifiers.Where(i => !dropped.Contains(Convert.ToHexString(i.Raw.Span))));

        var inserts = new List<StorageItem>();
        foreach (var (type, record) in edit.Replaced.Select(r => (r.Old.Type, r.New)).Concat(edit.Added))
        {
            var key = RandomNumberGenerator.GetBytes(StorageIdLength);
            var itemKey = StorageCrypto.ItemKey(storageKey, current.RecordIkm.Span, key);
            inserts.Add(new StorageItem(key, StorageCrypto.Encrypt(itemKey, record.ToByteArray())));
            next.Identifiers.Add(new ManifestRecordMessage.Types.Identifier { Raw = ByteString.CopyFrom(key), Type = type });
        }

        return (next, inserts, deletes);
    }
}
