using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// The items that are not messages, read from their kept Content bytes: typing, receipts, and the read and viewed
/// syncs of the account's other devices.
/// </summary>
internal static class EventItemReader
{
    private const uint TypingStopped = 1;
    private const uint ReceiptRead = 1;
    private const uint ReceiptViewed = 2;

    /// <summary>The item, or null when the content holds none of these (a stored item of another shape).</summary>
    public static ReceivedItem? Read(InboxItem item, Content content, string sender, IReadOnlyDictionary<Guid, string> numbers)
    {
        var serviceId = item.Sender?.Aci?.ToString();
        var timestamp = (long)item.Timestamp;
        if (content.TypingMessage is { } typing)
        {
            var groupId = typing.HasGroupId && typing.GroupId.Length == GroupId.Length ? new GroupId(typing.GroupId.ToByteArray()) : null;
            return new ReceivedTyping(timestamp, sender, serviceId, typing.Action != TypingStopped, groupId);
        }

        if (content.ReceiptMessage is { } receipt)
        {
            var kind = receipt.Type switch
            {
                ReceiptRead => ReceiptKind.Read,
                ReceiptViewed => ReceiptKind.Viewed,
                _ => ReceiptKind.Delivery,
            };
            return new ReceivedReceipt(timestamp, sender, serviceId, kind, [.. receipt.Timestamp.Select(t => (long)t)]);
        }

        if (content.SyncMessage is { } sync && (sync.Read.Count > 0 || sync.Viewed.Count > 0))
        {
            var viewed = sync.Read.Count == 0;
            var messages = (viewed ? sync.Viewed : sync.Read)
                .Select(r => (Aci: MessageDetailsReader.Aci(r.SenderAciBinary, r.SenderAci), r.Timestamp))
                .Where(r => r.Aci is not null)
                .Select(r => new SyncedMessageRef(numbers.GetValueOrDefault(r.Aci!.Value) ?? r.Aci.Value.ToString(), r.Aci.Value.ToString(), (long)r.Timestamp));
            return new ReceivedReadSync(timestamp, viewed, [.. messages]);
        }

        return null;
    }
}
