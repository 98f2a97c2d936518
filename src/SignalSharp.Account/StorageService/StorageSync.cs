using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Groups;
using SignalSharp.Account.Storage;
using SignalSharp.Service;
using SignalSharp.Service.Api;
using SignalSharp.Service.Storage;
using SignalSharp.Store;
using SignalSharp.ZkGroup;

namespace SignalSharp.Account.StorageService;

/// <summary>
/// Applies the phone's storage-service state to the account: contacts' numbers and profile keys to the recipients
/// (so that sends to them can be sealed), every group it lists refreshed through <paramref name="refreshGroup"/>, and
/// on a linked device the account record's profile key as our own once the record changed it (the phone rotated it).
/// A manifest version is remembered only once fully applied, so a partly failed sync is retried.
/// </summary>
internal sealed class StorageSync(
    AccountDatabase db, AccountRecord record, ChatApi chat, StorageServiceClient storage,
    Func<byte[], CancellationToken, Task> refreshGroup, ILogger logger) : IDisposable
{
    private const string ManifestVersionKey = "storage.manifest_version";

    /// <summary>The account record's profile key when last read, to tell a key the record changed from one it still has.</summary>
    private const string SeenOwnProfileKey = "storage.account_profile_key";

    private const uint PrimaryDeviceId = 1;

    /// <summary>The account record's unlistedPhoneNumber as last read (what a primary's attribute write says of discoverability).</summary>
    internal const string UnlistedNumberKey = "storage.unlisted_phone_number";

    private readonly SemaphoreSlim gate = new(1, 1);
    private int syncs;

    /// <summary>Storage manifests read (new versions only).</summary>
    public int Syncs => Volatile.Read(ref syncs);

    /// <summary>
    /// Reads the storage service when its manifest changed since the last read, and fetches every group it lists;
    /// contacts' profile keys from it go to the recipients.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var masterKey = record.MasterKey ?? throw new GroupLearningUnavailableException("the account has no master key (the primary sent none when linking)");
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var known = await db.Settings.GetInt64Async(ManifestVersionKey, cancellationToken).ConfigureAwait(false);
            var reader = new StorageReader(chat, storage, masterKey);
            var contents = await reader.ReadAsync(known is { } v ? (ulong)v : null, cancellationToken).ConfigureAwait(false);
            if (contents is null)
            {
                AccountLog.StorageManifestUnchanged(logger);
                return;
            }

            Interlocked.Increment(ref syncs);
            await SaveContactsAsync(contents.Contacts, cancellationToken).ConfigureAwait(false);
            await OwnProfileKeyAsync(contents.OwnProfileKey, cancellationToken).ConfigureAwait(false);
            if (contents.UnlistedNumber is { } unlisted)
            {
                await db.Settings.SetBooleanAsync(UnlistedNumberKey, unlisted, cancellationToken).ConfigureAwait(false);
            }
            var complete = true;
            foreach (var groupMasterKey in contents.GroupMasterKeys)
            {
                try
                {
                    // Storage says nothing of revisions: a changed manifest refreshes every group it lists.
                    await refreshGroup(groupMasterKey, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ServiceException or AccountException or ZkGroupException)
                {
                    complete = false;
                    AccountLog.StorageGroupFetchFailed(logger, e.GetType().Name);
                }
            }

            // Only a fully applied manifest is skipped next time; otherwise the next sync retries its groups.
            if (complete)
            {
                await db.Settings.SetInt64Async(ManifestVersionKey, (long)contents.Version, cancellationToken).ConfigureAwait(false);
            }

            AccountLog.StorageManifestApplied(logger, contents.Version, contents.GroupMasterKeys.Count, contents.Contacts.Count);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task SaveContactsAsync(IReadOnlyList<StorageContact> contacts, CancellationToken cancellationToken)
    {
        if (contacts.Count == 0)
        {
            return;
        }

        var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txDisposal = tx.ConfigureAwait(false);
        foreach (var contact in contacts.Where(c => c.Aci != record.Aci))
        {
            var recipient = await tx.Recipients.ResolveAsync(contact.Aci, contact.Pni, contact.E164, cancellationToken).ConfigureAwait(false);
            if (contact.ProfileKey is { } profileKey && !profileKey.AsSpan().SequenceEqual(recipient.ProfileKey))
            {
                await tx.Recipients.SetProfileKeyAsync(recipient.Id, profileKey, cancellationToken).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// On a linked device, the account record's profile key becomes ours when the record holds another one than at the
    /// last read (the phone rotated the key and wrote it there, as Signal's primaries do): from then on our messages
    /// carry it and our own profile is read and written under it. A record that still holds the key it held before
    /// changes nothing, so a rotation of ours whose storage write failed is not undone by the phone's next write. The
    /// record is authenticated by our own storage key; a primary keeps its own key (it writes the record).
    /// </summary>
    private async Task OwnProfileKeyAsync(byte[]? key, CancellationToken cancellationToken)
    {
        if (record.DeviceId == PrimaryDeviceId || key is null)
        {
            return;
        }

        var seen = await db.Settings.GetBytesAsync(SeenOwnProfileKey, cancellationToken).ConfigureAwait(false);
        if (seen is not null && seen.AsSpan().SequenceEqual(key))
        {
            return;
        }

        if (!key.AsSpan().SequenceEqual(record.ProfileKey))
        {
            await record.ReplaceProfileKeyAsync(db, key, cancellationToken).ConfigureAwait(false);
            Profiles.ProfileLog.OwnProfileKeyFromStorage(logger);
        }

        await db.Settings.SetBytesAsync(SeenOwnProfileKey, key, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => gate.Dispose();
}
