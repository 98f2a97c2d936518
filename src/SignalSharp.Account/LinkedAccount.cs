using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Receiving;
using SignalSharp.Account.Sending;
using SignalSharp.Account.Storage;
using SignalSharp.Crypto;
using SignalSharp.Account.Api;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account;

/// <summary>
/// A linked account at work: the authenticated chat socket, a background receiver that stores every envelope in
/// the inbox before acking it, sends over the same socket, and the daemon's view (<see cref="ISignalAccount"/>).
/// Protocol state is touched by one operation at a time (a send or one envelope), so sessions never race.
/// </summary>
public sealed partial class LinkedAccount : ISignalAccount, IAsyncDisposable
{
    private const int MaxItemsPerReceive = 100;

    private readonly AccountDatabase db;
    private readonly ChatConnection chat;
    private readonly ChatApi api;
    private readonly EnvelopeProcessor processor;
    private readonly Groups.GroupManager groups;
    private readonly SemaphoreSlim protocolGate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly ILogger logger;
    private readonly ServerProfile profile;
    private Protocol.SealedSender.SenderCertificate? senderCertificate;
    private ChatConnection? unauthenticated;
    private Task? receiver;
    private int envelopesHandled;
    private int sealedSends;
    private int preKeyMessagesSinceCheck;
    private int retryRequestsSent;

    private LinkedAccount(AccountDatabase db, AccountRecord record, ServerProfile profile, ILogger logger)
    {
        this.db = db;
        this.logger = logger;
        Record = record;
        chat = new ChatConnection(profile, new ChatCredentials(record.Aci.ToString(), record.DeviceId, record.Password), logger: logger);
        api = new ChatApi(chat);
        var trustRoots = profile.SealedSenderTrustRoots.Select(r => ECPublicKey.Deserialize(r)).ToList();
        this.profile = profile;
        groups = new Groups.GroupManager(db, record, profile, api, logger);
        processor = new EnvelopeProcessor(db, record.Aci, record.DeviceId, record.Number, trustRoots, logger) { OnContent = OnContentAsync, OnRetryRequest = SendRetryRequestAsync, OnHeld = WakeAttachmentDownloads };
    }

    public AccountRecord Record { get; }

    public AccountDatabase Database => db;

    /// <summary>How this account learns its groups (storage service, group contexts) and fetches their state.</summary>
    internal Groups.GroupManager Groups => groups;

    /// <summary>Envelopes the receiver finished (stored, dropped as duplicates, or stored as failures) and acked.</summary>
    public int EnvelopesHandled => Volatile.Read(ref envelopesHandled);

    /// <summary>Messages to contacts that went out sealed (the rest went authenticated).</summary>
    internal int SealedSends => Volatile.Read(ref sealedSends);

    /// <summary>Opens the account stored in <paramref name="accountDirectory"/>, or null when none is linked there.</summary>
    public static Task<LinkedAccount?> OpenAsync(string accountDirectory, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        OpenAsync(accountDirectory, null, logger, cancellationToken);

    /// <param name="serverOverride">Reach this server instead of the one stored with the account (`daemon --server`).</param>
    public static async Task<LinkedAccount?> OpenAsync(string accountDirectory, ServerProfile? serverOverride, ILogger? logger, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(accountDirectory, AccountDatabase.FileName)))
        {
            return null;
        }

        var db = await AccountDatabase.OpenAsync(accountDirectory, cancellationToken).ConfigureAwait(false);
        var record = await AccountRecord.LoadAsync(db, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            await db.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        var profile = serverOverride ?? ServerProfile.Parse(record.ServerProfileJson, accountDirectory, "stored server profile");
        // Items leased to a client whose reply never went out (the process died in between) are handed out again.
        await db.Inbox.ReleaseAbandonedLeasesAsync(cancellationToken).ConfigureAwait(false);
        return new LinkedAccount(db, record, profile, logger ?? NullLogger.Instance);
    }

    /// <summary>Connects and starts the background receiver.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await chat.StartAsync(cancellationToken).ConfigureAwait(false);
        StartAttachmentDownloads();
        receiver = Task.Run(() => ReceiveLoopAsync(stopping.Token), CancellationToken.None);
        groups.Start(stopping.Token);
        await RefillInBackgroundAsync(cancellationToken).ConfigureAwait(false);
        if (await db.Settings.GetBooleanAsync(SyncRequestedKey, cancellationToken).ConfigureAwait(false) != true)
        {
            await RequestSyncAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal const string SyncRequestedKey = "account.sync_requested";

    /// <summary>Below this many one-time keys (EC or Kyber) on the server, a fresh batch is uploaded.</summary>
    internal const int PreKeyRefillThreshold = 10;

    internal const int PreKeyRefillBatch = 100;

    /// <summary>
    /// Tops up the server's one-time pre-keys for both identities when either kind runs low: contacts starting
    /// sessions use them up, and without them new sessions fall back to the last-resort Kyber key and no EC key.
    /// </summary>
    internal async Task RefillPreKeysAsync(CancellationToken cancellationToken)
    {
        foreach (var (identity, pni) in new[] { (AccountIdentity.Aci, false), (AccountIdentity.Pni, true) })
        {
            var counts = await api.GetPreKeyCountsAsync(pni, cancellationToken).ConfigureAwait(false);
            if (counts.Count >= PreKeyRefillThreshold && counts.PqCount >= PreKeyRefillThreshold)
            {
                continue;
            }

            var stores = db.ProtocolStores(identity);
            var identityKeys = await stores.IdentityKeys.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
            var upload = await Linking.PreKeyGenerator.GenerateOneTimeAsync(stores, identityKeys, PreKeyRefillBatch, cancellationToken).ConfigureAwait(false);
            try
            {
                await api.SetPreKeysAsync(upload, pni, cancellationToken).ConfigureAwait(false);
            }
            catch (Service.Api.UnexpectedResponseException e)
            {
                // mock-server 27 keeps a stale provisioning entry under the ACI key and answers every later ACI
                // upload 400 "Duplicate service id kind ACI"; the other identity may still be refilled.
                logger.LogWarning("Pre-key upload for the {Identity} identity refused: {Error}", identity, e.Message);
            }
            logger.LogInformation("Uploaded {Count} one-time pre-keys for the {Identity} identity", PreKeyRefillBatch, identity);
        }
    }

    internal Task<PreKeyCounts> GetPreKeyCountsAsync(bool pni, CancellationToken cancellationToken) => api.GetPreKeyCountsAsync(pni, cancellationToken);

    /// <summary>
    /// Asks the account's primary for its contacts, blocked list and configuration (once, after linking); the answers
    /// arrive as sync messages on the receive socket.
    /// </summary>
    private async Task RequestSyncAsync(CancellationToken cancellationToken)
    {
        await protocolGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sender = new MessageSender(api, db.ProtocolStores(AccountIdentity.Aci), Record.Aci, Record.DeviceId, logger);
            foreach (var type in new uint[] { SyncRequestContacts, SyncRequestBlocked, SyncRequestConfiguration })
            {
                var request = new Content { SyncMessage = new SyncMessage { Request = new SyncMessage.Types.Request { Type = type } } };
                var timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await sender.SendAsync(Record.Aci, request.ToByteArray(), timestamp, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            protocolGate.Release();
        }

        await db.Settings.SetBooleanAsync(SyncRequestedKey, true, cancellationToken).ConfigureAwait(false);
    }

    private const uint SyncRequestContacts = 1;
    private const uint SyncRequestBlocked = 3;
    private const uint SyncRequestConfiguration = 4;

    /// <summary>Asks the sender's device to send again (unencrypted PlaintextContent, envelope type 8); best effort.</summary>
    private async Task SendRetryRequestAsync(RetryRequest request)
    {
        try
        {
            var address = new Protocol.ProtocolAddress(request.SenderAci.ToString(), request.SenderDevice);
            var session = await db.ProtocolStores(AccountIdentity.Aci).Sessions.LoadSessionAsync(address, stopping.Token).ConfigureAwait(false);
            var message = new DeviceCiphertext(8, request.SenderDevice, session?.RemoteRegistrationId ?? 0, request.PlaintextContent);
            var timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await api.SendMessageAsync(request.SenderAci.ToString(), new DeviceCiphertextList([message], timestamp), cancellationToken: stopping.Token).ConfigureAwait(false);
            Interlocked.Increment(ref retryRequestsSent);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Resend request to {Sender}.{Device} failed: {Error}", request.SenderAci, request.SenderDevice, e.Message);
        }
    }

    internal int RetryRequestsSent => Volatile.Read(ref retryRequestsSent);

    private async Task OnContentAsync(Guid sender, Content content)
    {
        groups.OnContent(sender, content);
        if (sender != Record.Aci || content.SyncMessage?.Contacts is not { Blob: { } blob } contacts)
        {
            return;
        }

        try
        {
            // The contacts file is an ordinary attachment: download, verify digest and MAC, decrypt, unpad.
            var pointer = Service.Attachments.AttachmentPointerData.FromProtobuf(blob.ToByteArray());
            using var transfer = new Service.Attachments.AttachmentTransfer(profile);
            using var plaintext = new MemoryStream();
            await transfer.DownloadAsync(pointer, plaintext, stopping.Token).ConfigureAwait(false);
            var entries = Sync.ContactSync.Parse(plaintext.ToArray());
            await db.Contacts.ApplySyncAsync(entries, contacts.Complete, stopping.Token).ConfigureAwait(false);
            logger.LogInformation("Contact sync: {Count} contacts", entries.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Contact sync failed: {Error}", e.Message);
        }
    }

    public async Task<SendResult> SendMessageAsync(MessageTarget target, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        if (target is not RecipientTarget { Recipient: var address })
        {
            return await SendToGroupAsync((GroupTarget)target, message, cancellationToken).ConfigureAwait(false);
        }

        var recipient = await ResolveAsync(address, cancellationToken).ConfigureAwait(false);
        var data = await ToDataMessageAsync(message, cancellationToken).ConfigureAwait(false);
        await SendDataMessageAsync(recipient, address, data, cancellationToken).ConfigureAwait(false);
        return new SendResult((long)data.Timestamp);
    }

    /// <summary>The text and the uploaded attachments' pointers, stamped now (the stamp is the message's id).</summary>
    private async Task<DataMessage> ToDataMessageAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        // Uploaded once; every recipient gets the same pointers (the key travels inside the encrypted message).
        var pointers = await AttachmentUploader.UploadAsync(profile, api, Credentials, message.Attachments, cancellationToken).ConfigureAwait(false);
        var data = new DataMessage { Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        if (message.Text is { } text)
        {
            data.Body = text;
        }

        data.Attachments.Add(pointers);
        return data;
    }

    /// <summary>Sealed sender when the recipient's profile key (hence access key) is known; null means send authenticated.</summary>
    private async Task<SealedDelivery?> SealedDeliveryForAsync(Guid recipient, CancellationToken cancellationToken)
    {
        var known = await db.Recipients.GetByAciAsync(recipient, cancellationToken).ConfigureAwait(false);
        if (known?.ProfileKey is not { Length: 32 } profileKey)
        {
            return null;
        }

        var certificate = await SenderCertificateAsync(cancellationToken).ConfigureAwait(false);
        return new SealedDelivery(await UnauthenticatedApiAsync(cancellationToken).ConfigureAwait(false), SealedDelivery.DeriveAccessKey(profileKey), certificate);
    }

    /// <summary>The unauthenticated socket (sealed and multi-recipient sends), opened on first use; callers hold the protocol gate.</summary>
    private async Task<ChatApi> UnauthenticatedApiAsync(CancellationToken cancellationToken)
    {
        if (unauthenticated is null)
        {
            var connection = new ChatConnection(profile, logger: logger);
            await connection.StartAsync(cancellationToken).ConfigureAwait(false);
            unauthenticated = connection;
        }

        return new ChatApi(unauthenticated);
    }

    public async Task<ReceivedBatch> ReceiveAsync(ReceiveRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var leased = await db.Inbox.LeaseAsync(MaxItemsPerReceive, CancellationToken.None).ConfigureAwait(false);
            if (leased.Count > 0)
            {
                var ids = leased.Select(i => i.Id).ToList();
                if (cancellationToken.IsCancellationRequested)
                {
                    // The caller is gone: nothing may be lost, so the items go back for the next taker.
                    await db.Inbox.ReleaseLeasesAsync(ids, CancellationToken.None).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                return await ToReceivedBatchAsync(leased, request.IgnoreAttachments).ConfigureAwait(false);
            }

            try
            {
                await db.Inbox.WaitForItemsAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ReceivedBatch.Empty;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (receiver is not null)
        {
            try
            {
                await receiver.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await StopAttachmentDownloadsAsync().ConfigureAwait(false);
        await groups.DisposeAsync().ConfigureAwait(false);
        await chat.DisposeAsync().ConfigureAwait(false);
        if (unauthenticated is not null)
        {
            await unauthenticated.DisposeAsync().ConfigureAwait(false);
        }

        groupSendContext?.Dispose();
        await db.DisposeAsync().ConfigureAwait(false);
        protocolGate.Dispose();
        stopping.Dispose();
    }

    private Task ReceiveLoopAsync(CancellationToken cancellationToken) =>
        new ReceiveLoop(chat, processor, db, protocolGate, logger) { Handled = OnEnvelopeHandled }.RunAsync(cancellationToken);

    private void OnEnvelopeHandled(ReceivedEnvelope envelope)
    {
        Interlocked.Increment(ref envelopesHandled);
        if (envelope.Type == EnvelopeType.PreKeyMessage && ++preKeyMessagesSinceCheck >= 5)
        {
            preKeyMessagesSinceCheck = 0;
            _ = RefillInBackgroundAsync(stopping.Token);
        }
    }

    private async Task RefillInBackgroundAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefillPreKeysAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Pre-key refill failed: {Error}", e.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<Guid> ResolveAsync(RecipientAddress address, CancellationToken cancellationToken)
    {
        if (address.Kind == RecipientKind.PhoneNumber)
        {
            var known = await db.Recipients.GetByE164Async(address.Value, cancellationToken).ConfigureAwait(false);
            return known?.Aci ?? throw new UnknownRecipientException(address);
        }

        return Guid.Parse(address.Value);
    }

    /// <summary>A sender's number may become known after the message was stored (a contact sync arriving later).</summary>
    private async Task<InboxItem> WithKnownNumberAsync(InboxItem item)
    {
        if (item.Sender is not { E164: null, Aci: { } aci } sender)
        {
            return item;
        }

        var known = await db.Recipients.GetByAciAsync(aci, CancellationToken.None).ConfigureAwait(false);
        return known?.E164 is { } e164 ? item with { Sender = sender with { E164 = e164 } } : item;
    }

    private static ReceivedItem ToReceivedItem(InboxItem item)
    {
        if (item.StatusCode != InboxStatus.Success)
        {
            var kind = item.StatusCode switch
            {
                InboxStatus.MissingMessageContent => ReceiveFailureKind.MissingContent,
                InboxStatus.MessageParsingError => ReceiveFailureKind.ParsingError,
                _ => ReceiveFailureKind.MessageError,
            };
            return new ReceiveFailure(kind, item.ErrorMessage ?? "unknown failure");
        }

        var sender = item.Sender?.E164 ?? item.Sender?.Aci?.ToString() ?? "";
        ReceivedReaction? reaction = item.Reaction is { } r
            ? new ReceivedReaction(r.Emoji, r.TargetAuthorE164 ?? r.TargetAuthorAci?.ToString() ?? "", (long)r.TargetTimestamp, r.Remove)
            : null;
        return new ReceivedMessage((long)item.Timestamp, sender, item.Body, [], item.Sender?.Aci?.ToString(), item.GroupId is { Length: GroupId.Length } g ? new GroupId(g) : null, reaction);
    }
}
