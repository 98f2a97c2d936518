using System.Runtime.CompilerServices;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;

namespace SignalSharp.Account.Sending;

/// <summary>
/// The pointers of attachments uploaded lately, by the <see cref="OutgoingAttachment"/> instance they came from. A
/// message sent to several recipients one after another (JSON-RPC <c>send</c> with several recipients, as
/// signal-cli's) then uploads each attachment once and gives every recipient the same pointer, as a group send
/// does. Entries are held weakly (they go with the message) and reused for an hour at most, well within the time the
/// CDN keeps a blob.
/// </summary>
internal sealed class RecentUploads(TimeProvider clock)
{
    private static readonly TimeSpan ReuseFor = TimeSpan.FromHours(1);
    private readonly ConditionalWeakTable<OutgoingAttachment, Uploaded> uploads = [];

    /// <summary>
    /// The pointers for <paramref name="attachments"/>, in order: reused where this instance was uploaded lately,
    /// uploaded with <paramref name="upload"/> (all missing ones in one call) otherwise.
    /// </summary>
    public async Task<IReadOnlyList<AttachmentPointer>> PointersAsync(IReadOnlyList<OutgoingAttachment> attachments,
        Func<IReadOnlyList<OutgoingAttachment>, CancellationToken, Task<IReadOnlyList<AttachmentPointer>>> upload, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var pointers = new AttachmentPointer?[attachments.Count];
        var missing = new List<int>();
        for (var i = 0; i < attachments.Count; i++)
        {
            if (uploads.TryGetValue(attachments[i], out var known) && now - known.At < ReuseFor)
            {
                // A copy: each DataMessage owns its pointers.
                pointers[i] = known.Pointer.Clone();
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            var fresh = await upload([.. missing.Select(i => attachments[i])], cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < missing.Count; j++)
            {
                pointers[missing[j]] = fresh[j];
                uploads.AddOrUpdate(attachments[missing[j]], new Uploaded(fresh[j].Clone(), now));
            }
        }

        return [.. pointers.Select(p => p!)];
    }

    private sealed record Uploaded(AttachmentPointer Pointer, DateTimeOffset At);
}
