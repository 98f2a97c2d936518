using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Sending;
using SignalSharp.Account.Storage;
using SignalSharp.Service;
using SignalSharp.Service.Api;
using SignalSharp.Service.Http;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Storage;
using SignalSharp.Store;
using SignalSharp.Store.Recipients;

namespace SignalSharp.Account.StorageService;

/// <summary>
/// Our own changes that Signal keeps in the storage service (blocking, contact names, groups created or joined, our
/// profile name),
/// written back there (<see cref="StorageWriter"/>, <see cref="StorageRecordEdits"/>) and announced to the
/// account's other devices with a fetch-latest sync, so that the phone reads them at once. One write at a time. A
/// write that fails is logged and leaves the local change as it is: the user's request was done here either way.
/// A primary device creates the account's manifest when the storage service has none (<see cref="EnsureManifestAsync"/>,
/// and before its first change is written), from what it knows (<see cref="StorageSeed"/>); a linked device never does.
/// </summary>
/// <param name="http">The account's HTTP client for the storage service, shared with its group manager; its owner disposes it.</param>
internal sealed class StorageWriteBack(ServiceHttpClient http, ChatApi chat, AccountDatabase db, AccountRecord record, OwnDeviceSync ownDevices, ILogger logger) : IDisposable
{
    private const uint FetchLatestStorageManifest = 2;
    private const uint PrimaryDeviceId = 1;
    private readonly SemaphoreSlim gate = new(1, 1);
    private int writes;
    private int conflicts;

    /// <summary>Manifest versions this account wrote.</summary>
    public int Writes => Volatile.Read(ref writes);

    /// <summary>Writes that found another device had written first, and were merged and tried again.</summary>
    public int Conflicts => Volatile.Read(ref conflicts);

    public Task BlockedAsync(IReadOnlyList<Recipient> people, IReadOnlyList<byte[]> groupMasterKeys, bool blocked, CancellationToken cancellationToken) =>
        WriteAsync("blocked list", (entries, edit) =>
        {
            foreach (var person in people)
            {
                StorageRecordEdits.SetContactBlocked(entries, edit, person, blocked);
            }

            foreach (var masterKey in groupMasterKeys)
            {
                StorageRecordEdits.SetGroupBlocked(entries, edit, masterKey, blocked);
            }
        }, cancellationToken);

    public Task ContactNamedAsync(Recipient contact, string? name, CancellationToken cancellationToken) =>
        WriteAsync("contact name", (entries, edit) => StorageRecordEdits.SetContactName(entries, edit, contact, name), cancellationToken);

    /// <param name="avatarPath">The avatar's new CDN path, empty when it was removed, null when it did not change.</param>
    /// <param name="profileKey">The account's new profile key after a rotation; null when it did not change.</param>
    public Task OwnProfileAsync(string givenName, string? familyName, string? avatarPath, CancellationToken cancellationToken, byte[]? profileKey = null) =>
        WriteAsync("profile", (entries, edit) => StorageRecordEdits.SetOwnProfile(entries, edit, givenName, familyName, avatarPath, profileKey), cancellationToken);

    public Task GroupJoinedAsync(byte[] masterKey, CancellationToken cancellationToken) =>
        WriteAsync("group", (entries, edit) => StorageRecordEdits.AddGroup(entries, edit, masterKey), cancellationToken);

    /// <summary>
    /// On a primary device, creates the account's storage manifest when the storage service has none (after
    /// registering, and at each start until it exists); nothing when one exists or on a linked device.
    /// </summary>
    public Task EnsureManifestAsync(CancellationToken cancellationToken) =>
        record.DeviceId == PrimaryDeviceId ? RunAsync("new manifest", CreateAsync, cancellationToken) : Task.CompletedTask;

    private Task WriteAsync(string what, Action<IReadOnlyList<StorageEntry>, StorageEdit> change, CancellationToken cancellationToken) =>
        RunAsync(what, async (writer, ct) =>
        {
            StorageEdit Edit(IReadOnlyList<StorageEntry> entries)
            {
                var edit = new StorageEdit();
                change(entries, edit);
                return edit;
            }

            var version = await writer.WriteAsync(Edit, ct).ConfigureAwait(false);
            if (version is null && writer.FoundNoManifest && record.DeviceId == PrimaryDeviceId)
            {
                // The primary's manifest is missing: created from what it knows (this change included when stored
                // already), then the change made on it.
                var created = await CreateAsync(writer, ct).ConfigureAwait(false);
                version = await writer.WriteAsync(Edit, ct).ConfigureAwait(false) ?? created;
            }

            return version;
        }, cancellationToken);

    private Task<ulong?> CreateAsync(StorageWriter writer, CancellationToken cancellationToken) =>
        writer.CreateAsync(ct => StorageSeed.LoadAsync(db, record, ct), cancellationToken);

    private async Task RunAsync(string what, Func<StorageWriter, CancellationToken, Task<ulong?>> write, CancellationToken cancellationToken)
    {
        if (record.MasterKey is not { } masterKey)
        {
            StorageLog.NoMasterKey(logger, what);
            return;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = new StorageWriter(chat, new StorageServiceClient(http), masterKey, record.DeviceId);
            ulong? version;
            try
            {
                version = await write(writer, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Add(ref conflicts, writer.Conflicts);
            }

            if (version is null)
            {
                StorageLog.NothingToWrite(logger, what);
                return;
            }

            Interlocked.Increment(ref writes);
            StorageLog.Written(logger, what, version.Value, writer.Conflicts);
            await TellOwnDevicesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ServiceException or AccountException)
        {
            StorageLog.WriteFailed(logger, what, e.GetType().Name);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task TellOwnDevicesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var fetch = new SyncMessage { FetchLatest = new SyncMessage.Types.FetchLatest { Type = FetchLatestStorageManifest } };
            await ownDevices.SendAsync(fetch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The write stands; the other devices find it at their next storage read.
            StorageLog.FetchLatestFailed(logger, e.GetType().Name);
        }
    }

    public void Dispose()
    {
        gate.Dispose();
    }
}

/// <summary>Log lines of the storage write-back (event ids 1480–1489); what was written and versions, never records.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(1480, LogLevel.Information, "Storage service: {What} written as manifest version {Version} ({Conflicts} conflicts merged)")]
    public static partial void Written(ILogger logger, string what, ulong version, int conflicts);

    [LoggerMessage(1481, LogLevel.Debug, "Storage service: the {What} needed no change, or there is no manifest to change yet")]
    public static partial void NothingToWrite(ILogger logger, string what);

    [LoggerMessage(1482, LogLevel.Warning, "Storage service: writing the {What} failed ({ErrorType}); the change holds on this device")]
    public static partial void WriteFailed(ILogger logger, string what, string errorType);

    [LoggerMessage(1484, LogLevel.Warning, "Storage service: telling our other devices to read it failed ({ErrorType})")]
    public static partial void FetchLatestFailed(ILogger logger, string errorType);

    [LoggerMessage(1483, LogLevel.Debug, "Storage service: the account has no master key, the {What} is not written back")]
    public static partial void NoMasterKey(ILogger logger, string what);
}
