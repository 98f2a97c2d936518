using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Proto;
using SignalSharp.Service.Attachments;
using SignalSharp.Service.Profiles;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// Fetches the attachments of received messages after their envelopes were stored and acked: the receiver holds
/// such a message (<see cref="HoldAsync"/>, inside its transaction), this worker downloads each attachment into the
/// account's attachments folder (0600), outside any transaction, with retries, and then moves the message into the
/// inbox in one transaction. A download that fails for good (digest or MAC mismatch, a CDN that keeps refusing)
/// becomes an error item (status 8) while the text and the other attachments still arrive as the message.
/// An attachment that cannot be written here (the folder read-only or gone, the disk full) is not a failure of the
/// attachment: the message stays held with its pointers, one notice item says which attachment is pending, and
/// the download is tried again with a growing delay until the folder takes it; then the message arrives whole.
/// Holds left by a stopped process are resumed on the next start.
/// </summary>
internal sealed partial class AttachmentDownloader : IAsyncDisposable
{
    private static readonly TimeSpan MaxLocalRetryDelay = TimeSpan.FromMinutes(5);

    private const int Parallel = 3;
    private const int Attempts = 3;

    private readonly AccountDatabase db;
    private readonly string folder;
    private readonly ILogger logger;
    private readonly AttachmentTransfer transfer;
    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim slots = new(Parallel, Parallel);
    private readonly HashSet<long> running = [];
    // Holds waiting for the folder to take their files: how often each was tried, and whether its notice went out.
    private readonly Dictionary<long, int> localRetries = [];
    private readonly Lock gate = new();
    private readonly TimeSpan retryDelay;
    private TaskCompletionSource wake = New();
    private Task? worker;

    public AttachmentDownloader(AccountDatabase db, ServerProfile profile, ILogger logger, TimeSpan? retryDelay = null)
    {
        this.db = db;
        this.logger = logger;
        this.retryDelay = retryDelay ?? TimeSpan.FromSeconds(1);
        folder = FolderFor(db.DirectoryPath);
        EnsurePrivateDirectory(folder);
        transfer = new AttachmentTransfer(profile, options: new AttachmentTransferOptions { TemporaryDirectory = folder });
    }

    /// <summary>Where an account keeps received attachments.</summary>
    public static string FolderFor(string accountDirectory) => Path.Combine(accountDirectory, "attachments");

    /// <summary>Downloads finished (or failed) and moved to the inbox, since the start.</summary>
    public int Completed => Volatile.Read(ref completed);

    private int completed;

    /// <summary>
    /// Holds <paramref name="item"/> with its attachment pointers inside the receiver's transaction; false when the
    /// same message is already held (a redelivery).
    /// </summary>
    public static async Task<bool> HoldAsync(AccountTransaction tx, InboxItem item, IReadOnlyList<AttachmentPointer> pointers, CancellationToken cancellationToken)
    {
        var attachments = pointers.Select(p => new InboxAttachment(
            p.HasContentType ? p.ContentType : null, p.HasFileName ? p.FileName : null, p.HasSize ? p.Size : null)).ToArray();
        var id = await tx.HeldMessages.HoldAsync(item with { Attachments = attachments }, pointers.Select(p => p.ToByteArray()).ToArray(), cancellationToken)
            .ConfigureAwait(false);
        return id is not null;
    }

    public void Start() => worker ??= Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);

    /// <summary>A new hold was committed: look for work.</summary>
    public void Wake() => Interlocked.Exchange(ref wake, New()).TrySetResult();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            // Captured before looking, so a hold committed while we list is not missed.
            var signal = Volatile.Read(ref wake).Task;
            try
            {
                foreach (var held in await db.HeldMessages.ListAsync(cancellationToken).ConfigureAwait(false))
                {
                    lock (gate)
                    {
                        if (!running.Add(held.Id))
                        {
                            continue;
                        }
                    }

                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    inFlight.Add(Task.Run(() => CompleteAsync(held, cancellationToken), CancellationToken.None));
                }

                inFlight.RemoveAll(t => t.IsCompleted);
                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                AccountLog.AttachmentWorkerFailed(logger, e.GetType().Name);
                await Task.Delay(retryDelay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await Task.WhenAll(inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task CompleteAsync(HeldMessage held, CancellationToken cancellationToken)
    {
        try
        {
            var fetched = new List<InboxAttachment>(held.Pointers.Count);
            var failures = new List<string>();
            var pending = new List<string>();
            for (var i = 0; i < held.Pointers.Count; i++)
            {
                var described = held.Item.Attachments[i];
                var (attachment, failure, local) = await FetchAsync(held, i, described, cancellationToken).ConfigureAwait(false);
                if (attachment is not null)
                {
                    fetched.Add(attachment);
                }
                else
                {
                    (local ? pending : failures).Add($"attachment {i + 1} of {held.Pointers.Count}{Named(described)}: {failure}");
                }
            }

            if (pending.Count > 0)
            {
                // Nothing is final yet: the files of this pass go, the hold and its pointers stay for the next try.
                DeleteFiles(fetched);
                await WaitForFolderAsync(held, pending, cancellationToken).ConfigureAwait(false);
                return;
            }

            var items = new List<InboxItem>(2);
            var message = held.Item with { Attachments = fetched };
            if (message.Body is not null || fetched.Count > 0 || message.Kind != InboxItemKind.Message)
            {
                items.Add(message);
            }

            if (failures.Count > 0)
            {
                // No device on the error item: it must not collide with the message's (sender, device, timestamp).
                var sender = held.Item.Sender is { } s ? s with { Device = null } : null;
                items.Add(InboxItem.Error(InboxStatus.MessageError, "attachment download failed: " + string.Join("; ", failures),
                    held.Item.Timestamp, held.Item.ServerTimestamp, sender));
                AccountLog.AttachmentsFailed(logger, held.Item.Timestamp, failures.Count);
            }

            var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                // A listing taken while an earlier pass finished this hold can start it twice: only one pass ends it.
                if (!await tx.HeldMessages.DeleteAsync(held.Id, cancellationToken).ConfigureAwait(false))
                {
                    DeleteFiles(fetched);
                    return;
                }

                await tx.Inbox.InsertManyAsync(items, cancellationToken).ConfigureAwait(false);
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            lock (gate)
            {
                localRetries.Remove(held.Id);
            }

            Interlocked.Increment(ref completed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the hold stays and is resumed on the next start.
        }
        catch (Exception e)
        {
            AccountLog.HeldMessageFailed(logger, held.Id, e.GetType().Name);
        }
        finally
        {
            lock (gate)
            {
                running.Remove(held.Id);
            }

            slots.Release();
        }
    }

    /// <summary>One attachment to a file of its own; transient failures retried, integrity failures final.</summary>
    private async Task<(InboxAttachment? Attachment, string? Failure, bool Local)> FetchAsync(HeldMessage held, int index, InboxAttachment described, CancellationToken cancellationToken)
    {
        AttachmentPointerData pointer;
        try
        {
            pointer = AttachmentPointerData.FromProtobuf(held.Pointers[index]);
        }
        catch (InvalidAttachmentPointerException e)
        {
            return (null, e.Message, false);
        }

        var path = Path.Combine(folder, $"{held.Item.Timestamp}-{held.Id}-{index}-{Guid.NewGuid():N}");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await transfer.DownloadToFileAsync(pointer, path, cancellationToken).ConfigureAwait(false);
                return (described with { Size = pointer.Size, LocalPath = path, RemoteId = pointer.CdnKey ?? pointer.CdnId?.ToString(System.Globalization.CultureInfo.InvariantCulture) }, null, false);
            }
            catch (AttachmentIntegrityException e)
            {
                return (null, e.Message, false);
            }
            catch (Exception e) when (e is UnauthorizedAccessException || (e is IOException && !FolderTakesFiles()))
            {
                // Our side cannot keep the file; the attachment itself is fine and stays on the CDN.
                return (null, $"cannot be saved here yet ({e.GetType().Name})", true);
            }
            catch (Exception e) when (IsConnectionFailure(e) && attempt < Attempts)
            {
                // The transfer already retried within its own attempts; a connection that stays down gets a few
                // more chances spread over seconds. An answer from the CDN (404 after its retries, 403) is final.
                AccountLog.AttachmentAttemptFailed(logger, attempt, e.GetType().Name);
                await Task.Delay(retryDelay * attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AttachmentException or IOException or HttpRequestException)
            {
                return (null, e.Message, false);
            }
        }
    }

    /// <summary>
    /// A hold whose files the folder did not take: a notice item the first time (this run), then a wake-up after a
    /// delay that doubles with each try, up to <see cref="MaxLocalRetryDelay"/>.
    /// </summary>
    private async Task WaitForFolderAsync(HeldMessage held, List<string> pending, CancellationToken cancellationToken)
    {
        int tries;
        lock (gate)
        {
            tries = localRetries.GetValueOrDefault(held.Id);
            localRetries[held.Id] = tries + 1;
        }

        var delay = TimeSpan.FromTicks(Math.Min(MaxLocalRetryDelay.Ticks, retryDelay.Ticks << Math.Min(tries, 20)));
        AttachmentsPending(logger, held.Item.Timestamp, pending.Count, delay);
        if (tries == 0)
        {
            // No device on the notice: it must not collide with the message's own (sender, device, timestamp).
            var sender = held.Item.Sender is { } s ? s with { Device = null } : null;
            await db.Inbox.InsertAsync(InboxItem.Error(InboxStatus.MessageError,
                "attachment pending, the message follows once it is saved: " + string.Join("; ", pending),
                held.Item.Timestamp, held.Item.ServerTimestamp, sender), cancellationToken).ConfigureAwait(false);
        }

        _ = WakeAfterAsync(delay, cancellationToken);
    }

    private async Task WakeAfterAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Wake();
    }

    /// <summary>Whether a file can be created in the attachments folder right now (tells a local failure from a network one).</summary>
    private bool FolderTakesFiles()
    {
        try
        {
            using (new FileStream(Path.Combine(folder, ".probe-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Timestamp}: {Count} attachment(s) cannot be saved in the attachments folder; the message stays held and is tried again in {Delay}")]
    private static partial void AttachmentsPending(ILogger logger, ulong timestamp, int count, TimeSpan delay);

    private static void DeleteFiles(IEnumerable<InboxAttachment> attachments)
    {
        foreach (var attachment in attachments)
        {
            if (attachment.LocalPath is { } path)
            {
                File.Delete(path);
            }
        }
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is AttachmentTransferException { HttpStatus: null } or IOException or HttpRequestException;

    private static string Named(InboxAttachment attachment) => attachment.FileName is { } name ? $" (\"{name}\")" : "";

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void EnsurePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(path, mode);
        File.SetUnixFileMode(path, mode);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (worker is not null)
        {
            await worker.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        transfer.Dispose();
        slots.Dispose();
        stopping.Dispose();
    }
}
