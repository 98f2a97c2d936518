using SignalSharp.Account.Api;
using SignalSharp.Account.Proto.GroupItems;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account.Receiving;

/// <summary>Turns a stored group change item back into what clients get: author, group, revision and each change, people by number when known.</summary>
internal static class GroupChangeItemReader
{
    public static async Task<ReceivedItem> ReadAsync(InboxItem item, Func<Guid, CancellationToken, Task<string?>> numberOf, CancellationToken cancellationToken)
    {
        GroupChangeItemMessage record;
        try
        {
            record = GroupChangeItemMessage.Parser.ParseFrom(item.RawContent ?? []);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return new ReceiveFailure(ReceiveFailureKind.ParsingError, "a stored group change item does not parse");
        }

        if (item.GroupId is not { Length: GroupId.Length } groupId)
        {
            return new ReceiveFailure(ReceiveFailureKind.ParsingError, "a stored group change item names no group");
        }

        var details = new List<GroupChangeDetail>(record.Entries.Count);
        foreach (var entry in record.Entries)
        {
            Guid? subject = entry.Subject.Length == 16 ? new Guid(entry.Subject.Span, bigEndian: true) : null;
            var number = subject is { } s ? await numberOf(s, cancellationToken).ConfigureAwait(false) : null;
            details.Add(new GroupChangeDetail(entry.Kind, number ?? subject?.ToString(), subject?.ToString(), entry.Value.Length == 0 ? null : entry.Value));
        }

        var author = item.Sender?.Aci;
        var authorNumber = author is { } a ? await numberOf(a, cancellationToken).ConfigureAwait(false) : null;
        return new ReceivedGroupChange((long)item.Timestamp, authorNumber ?? author?.ToString() ?? "", author?.ToString(), new GroupId(groupId), record.Revision,
            record.Title.Length == 0 ? null : record.Title, details);
    }
}
