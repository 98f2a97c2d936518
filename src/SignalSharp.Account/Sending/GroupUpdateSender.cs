using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Store.Groups;

namespace SignalSharp.Account.Sending;

/// <summary>
/// Sends the announcement of a new group revision: an empty data message whose group context carries the revision
/// and the signed change, to the members (as any group message) and 1:1 to people the change took out of the group,
/// so their apps learn it too.
/// </summary>
internal sealed class GroupUpdateSender(GroupMessageSender groupSend, DirectSender direct)
{
    public async Task<(long Timestamp, IReadOnlyList<RecipientSendResult> Results)> AnnounceAsync(
        GroupRecord group, byte[]? signedChange, IReadOnlyList<Guid> alsoTo, CancellationToken cancellationToken)
    {
        var timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var report = await groupSend.SendAsync(group, new DataMessage { Timestamp = timestamp }, timestamp, cancellationToken, signedChange).ConfigureAwait(false);
        var results = new List<RecipientSendResult>(await groupSend.ResultsAsync(group, report, cancellationToken).ConfigureAwait(false));
        foreach (var removed in alsoTo)
        {
            var data = new DataMessage { Timestamp = timestamp, GroupV2 = new GroupContextV2 { MasterKey = Google.Protobuf.ByteString.CopyFrom(group.MasterKey), Revision = group.Revision } };
            if (signedChange is not null)
            {
                data.GroupV2.GroupChange = Google.Protobuf.ByteString.CopyFrom(signedChange);
            }

            var address = RecipientAddress.Aci(new Aci(removed));
            try
            {
                await direct.SendAsync(removed, address, data, cancellationToken).ConfigureAwait(false);
                results.Add(new RecipientSendResult(removed.ToString(), new Aci(removed), true));
            }
            catch (SendFailedException e)
            {
                results.Add(new RecipientSendResult(removed.ToString(), new Aci(removed), false, e.Message));
            }
        }

        return ((long)timestamp, results);
    }
}
