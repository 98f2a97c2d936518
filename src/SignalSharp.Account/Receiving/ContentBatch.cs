using SignalSharp.Store.Inbox;
using SignalSharp.Store.Recipients;

namespace SignalSharp.Account.Receiving;

/// <summary>What one batch transaction remembers between its envelopes.</summary>
internal sealed class ContentBatch
{
    /// <summary>Senders already resolved: nothing else writes during the batch, so a burst from one contact
    /// resolves its recipient once.</summary>
    public Dictionary<(Guid, string?), Recipient> Senders { get; } = [];

    /// <summary>Inbox items to insert together at the end, with the index of their envelope.</summary>
    public List<(int Index, InboxItem Item)> Items { get; } = [];

    /// <summary>The index, within the batch, of the envelope being stored.</summary>
    public int Index { get; set; }
}
