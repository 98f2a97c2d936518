using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Receiving;
using SignalSharp.Account.Sending;
using SignalSharp.Account.Storage;
using SignalSharp.Protocol;
using SignalSharp.Service.Api;
using SignalSharp.Service.Attachments;
using SignalSharp.Service.Profiles;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Sync;

/// <summary>
/// The account's exchanges with its own and its contacts' devices that are not messages: the one-time sync request
/// to the primary after linking, the contact sync it answers with, and resend requests for envelopes that did not
/// decrypt. Background work ends with <paramref name="stopping"/>.
/// </summary>
internal sealed class SyncHandler(
    ServerProfile profile, ChatApi api, AccountDatabase db, AccountRecord record, SemaphoreSlim protocolGate,
    ILogger logger, CancellationToken stopping)
{
    internal const string SyncRequestedKey = "account.sync_requested";

    private const uint SyncRequestContacts = 1;
    private const uint SyncRequestBlocked = 3;
    private const uint SyncRequestConfiguration = 4;

    /// <summary>Plaintext content (a decryption error message), sent unencrypted.</summary>
    private const int PlaintextContentType = 8;

    private readonly TaskCompletionSource contactsHandled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int retryRequestsSent;

    public int RetryRequestsSent => Volatile.Read(ref retryRequestsSent);

    /// <summary>Completes when the first contact sync of this run was applied (or failed to apply).</summary>
    public Task ContactsHandled => contactsHandled.Task;

    /// <summary>
    /// Asks the account's primary for its contacts, blocked list and configuration, once per account (after linking);
    /// the answers arrive as sync messages on the receive socket. True when it asked now.
    /// </summary>
    public async Task<bool> RequestOnceAsync(CancellationToken cancellationToken)
    {
        if (await db.Settings.GetBooleanAsync(SyncRequestedKey, cancellationToken).ConfigureAwait(false) == true)
        {
            return false;
        }

        await RequestAsync(cancellationToken).ConfigureAwait(false);
        await db.Settings.SetBooleanAsync(SyncRequestedKey, true, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Asks the primary for its contacts, blocked list and configuration now (signal-cli's sendSyncRequest).</summary>
    public async Task RequestAsync(CancellationToken cancellationToken)
    {
        await protocolGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sender = new MessageSender(api, db.ProtocolStores(AccountIdentity.Aci), record.Aci, record.DeviceId, logger);
            foreach (var type in new uint[] { SyncRequestContacts, SyncRequestBlocked, SyncRequestConfiguration })
            {
                var request = new Content { SyncMessage = new SyncMessage { Request = new SyncMessage.Types.Request { Type = type } } };
                var timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await sender.SendAsync(record.Aci, request.ToByteArray(), timestamp, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            protocolGate.Release();
        }
    }

    /// <summary>Applies a contact sync from our own primary; any other content is not this handler's.</summary>
    public async Task OnContentAsync(Guid sender, Content content)
    {
        if (sender != record.Aci || content.SyncMessage?.Contacts is not { Blob: { } blob } contacts)
        {
            return;
        }

        try
        {
            // The contacts file is an ordinary attachment: download, verify digest and MAC, decrypt, unpad.
            var pointer = AttachmentPointerData.FromProtobuf(blob.ToByteArray());
            using var transfer = new AttachmentTransfer(profile);
            using var plaintext = new MemoryStream();
            await transfer.DownloadAsync(pointer, plaintext, stopping).ConfigureAwait(false);
            var items = ContactSync.ParseWithAvatars(plaintext.ToArray(), Avatars.AvatarFiles.MaxImageBytes);
            await db.Contacts.ApplySyncAsync([.. items.Select(item => item.Entry)], contacts.Complete, stopping).ConfigureAwait(false);
            AccountLog.ContactSyncApplied(logger, items.Count);
            await OwnProfileKeyAsync(items).ConfigureAwait(false);
            var avatars = await ContactSyncAvatars.ApplyAsync(db.DirectoryPath, items, contacts.Complete, stopping).ConfigureAwait(false);
            AccountLog.ContactSyncAvatars(logger, avatars, items.Count(item => item.AvatarRefused));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AccountLog.ContactSyncFailed(logger, e.GetType().Name);
        }
        finally
        {
            contactsHandled.TrySetResult();
        }
    }

    /// <summary>
    /// Our own entry in a contact sync from our own device carries the account's profile key: a primary that rotated
    /// it tells its linked devices so, and from then on this device sends and presents the new one.
    /// </summary>
    private async Task OwnProfileKeyAsync(IReadOnlyList<ContactSyncItem> items)
    {
        if (items.FirstOrDefault(item => item.Entry.Aci == record.Aci && item.ProfileKey is not null)?.ProfileKey is { } key
            && !key.AsSpan().SequenceEqual(record.ProfileKey))
        {
            await record.ReplaceProfileKeyAsync(db, key, stopping).ConfigureAwait(false);
            AccountLog.OwnProfileKeyLearned(logger);
        }
    }

    /// <summary>Asks the sender's device to send again (unencrypted PlaintextContent, envelope type 8); best effort.</summary>
    public async Task SendRetryRequestAsync(RetryRequest request)
    {
        try
        {
            var address = new ProtocolAddress(request.SenderAci.ToString(), request.SenderDevice);
            var session = await db.ProtocolStores(AccountIdentity.Aci).Sessions.LoadSessionAsync(address, stopping).ConfigureAwait(false);
            var message = new DeviceCiphertext(PlaintextContentType, request.SenderDevice, session?.RemoteRegistrationId ?? 0, request.PlaintextContent);
            var timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await api.SendMessageAsync(request.SenderAci.ToString(), new DeviceCiphertextList([message], timestamp), cancellationToken: stopping).ConfigureAwait(false);
            Interlocked.Increment(ref retryRequestsSent);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AccountLog.ResendRequestFailed(logger, request.SenderAci, request.SenderDevice, e.GetType().Name);
        }
    }
}
