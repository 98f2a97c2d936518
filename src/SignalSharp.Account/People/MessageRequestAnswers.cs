using Google.Protobuf;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Sending;

namespace SignalSharp.Account.People;

/// <summary>
/// The user's answers to message requests, sent to the account's other devices: one sync message per person or
/// group, naming the person by ACI (as text and as bytes, as Signal's apps write both) and the group by its id.
/// Every number is resolved before anything is sent, so an unknown one sends nothing.
/// </summary>
internal sealed class MessageRequestAnswers(RecipientResolver recipients, OwnDeviceSync ownDevices)
{
    public async Task SendAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, MessageRequestResponse response,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(groups);
        var answers = new List<SyncMessage.Types.MessageRequestResponse>(people.Count + groups.Count);
        foreach (var person in people)
        {
            var aci = await recipients.ResolveAsync(person, cancellationToken).ConfigureAwait(false);
            answers.Add(new SyncMessage.Types.MessageRequestResponse
            {
                ThreadAci = aci.ToString(),
                ThreadAciBinary = ByteString.CopyFrom(aci.ToByteArray(bigEndian: true)),
                Type = (uint)response,
            });
        }

        foreach (var group in groups)
        {
            answers.Add(new SyncMessage.Types.MessageRequestResponse { GroupId = ByteString.CopyFrom(group.Bytes), Type = (uint)response });
        }

        foreach (var answer in answers)
        {
            await ownDevices.SendAsync(new SyncMessage { MessageRequestResponse = answer }, cancellationToken).ConfigureAwait(false);
        }
    }
}
