using Google.Protobuf;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Proto.GroupHints;

namespace SignalSharp.Account.Groups;

internal sealed partial class GroupManager
{
    private const uint FetchLatestStorageManifest = 2;

    /// <summary>
    /// Looks at decrypted content for reasons to learn groups: the phone's fetch-latest (storage manifest) sync, and
    /// a GroupContextV2 on a data message or on the phone's Sent transcript. Only queues work.
    /// </summary>
    public void OnContent(Guid sender, Content content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.DataMessage is null && content.SyncMessage is null)
        {
            return;
        }

        ContentGroupView view;
        try
        {
            view = ContentGroupView.Parser.ParseFrom(content.ToByteArray());
        }
        catch (InvalidProtocolBufferException)
        {
            return;
        }

        var fromOwnDevice = sender == record.Aci;
        if (fromOwnDevice && view.SyncMessage?.FetchLatest is { Type: FetchLatestStorageManifest })
        {
            QueueStorageSync();
        }

        var context = view.DataMessage?.GroupV2 ?? (fromOwnDevice ? view.SyncMessage?.Sent?.Message?.GroupV2 : null);
        if (context is { MasterKey.Length: 32 })
        {
            QueueFetch(context.MasterKey.ToByteArray(), context.HasRevision ? context.Revision : null);
        }
    }
}
