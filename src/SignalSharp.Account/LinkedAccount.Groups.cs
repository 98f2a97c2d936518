using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Sending;
using SignalSharp.Account.Api;
using SignalSharp.Service.Api;
using SignalSharp.Store.Groups;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account;

/// <summary>The account's group messaging: sends to a group, membership checked first (learning groups is the
/// group manager's). The sending itself is <see cref="GroupSender"/>'s.</summary>
public sealed partial class LinkedAccount
{
    private GroupSendContext? groupSendContext;

    /// <summary>What the last group send did (for diagnostics and the benchmark).</summary>
    internal GroupSendReport? LastGroupSend { get; private set; }

    private async Task<SendResult> SendToGroupAsync(GroupTarget target, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var group = await RequireGroupAsync(target.GroupId, cancellationToken).ConfigureAwait(false);
        var data = await ToDataMessageAsync(message, cancellationToken).ConfigureAwait(false);
        await SendGroupDataAsync(group, data, data.Timestamp, cancellationToken).ConfigureAwait(false);
        return new SendResult((long)data.Timestamp);
    }

    private async Task<SendResult> SendGroupReactionAsync(GroupTarget target, OutgoingReaction reaction, CancellationToken cancellationToken)
    {
        var group = await RequireGroupAsync(target.GroupId, cancellationToken).ConfigureAwait(false);
        var author = await ResolveAuthorAsync(reaction.TargetAuthor, cancellationToken).ConfigureAwait(false);
        var timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var data = new DataMessage { Timestamp = timestamp, Reaction = ToReaction(reaction, author) };
        await SendGroupDataAsync(group, data, timestamp, cancellationToken).ConfigureAwait(false);
        return new SendResult((long)timestamp);
    }

    /// <summary>The group by id, if the account is a full member of it (status 6 unknown, 7 not a member).</summary>
    private async Task<GroupRecord> RequireGroupAsync(GroupId groupId, CancellationToken cancellationToken)
    {
        var group = await db.Groups.GetAsync(groupId.Bytes.ToArray(), cancellationToken).ConfigureAwait(false)
            ?? throw new GroupNotFoundException(groupId);
        return group.IsMember(Record.Aci) ? group : throw new NotAGroupMemberException(groupId);
    }

    /// <summary>Sends <paramref name="data"/> with the group's context to its members, then the Sent transcript to our own devices.</summary>
    internal async Task<GroupSendReport> SendGroupDataAsync(GroupRecord group, DataMessage data, ulong timestamp, CancellationToken cancellationToken)
    {
        data.GroupV2 = new GroupContextV2 { MasterKey = ByteString.CopyFrom(group.MasterKey), Revision = group.Revision };
        if (Record.ProfileKey is { } profileKey)
        {
            data.ProfileKey = ByteString.CopyFrom(profileKey);
        }

        await protocolGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stores = db.ProtocolStores(AccountIdentity.Aci);
            var oneToOne = new MessageSender(api, stores, Record.Aci, Record.DeviceId, logger) { SenderKeyShares = db.SenderKeyShares };
            var sender = new GroupSender(db, stores, oneToOne, GroupSendContext, Record.Aci, Record.DeviceId, logger);
            var report = await sender.SendAsync(group, new Content { DataMessage = data }.ToByteArray(), timestamp, cancellationToken).ConfigureAwait(false);
            LastGroupSend = report;
            logger.LogInformation("Group send: {SenderKey} by sender key ({Multi}), {Fallback} 1:1, {Distributed} new distributions, {Unreachable} unreachable; client {Client:F1} ms of {Total:F1} ms",
                report.SenderKeyRecipients, report.MultiRecipient ? "multi-recipient" : "none", report.FallbackRecipients, report.DistributedTo,
                report.Unreachable.Count, report.ClientTime.TotalMilliseconds, report.Total.TotalMilliseconds);

            // The account's other devices learn what this one sent; a group transcript names no destination.
            var transcript = new SyncMessage { Sent = new SyncMessage.Types.Sent { Timestamp = timestamp, Message = data } };
            await oneToOne.SendAsync(Record.Aci, new Content { SyncMessage = transcript }.ToByteArray(), timestamp, cancellationToken).ConfigureAwait(false);
            return report;
        }
        finally
        {
            protocolGate.Release();
        }
    }

    /// <summary>Sends to groups without the server's multi-recipient send (every member 1:1): for servers that lack
    /// it, and to test that path. Takes effect before the first group send.</summary>
    internal bool MultiRecipientDisabled { get; set; }

    private GroupSendContext GroupSendContext => groupSendContext ??= new GroupSendContext(
        SenderCertificateAsync, SealedDeliveryForAsync, MultiRecipientDisabled ? null : new MultiRecipientApi(profile, UnauthenticatedApiAsync), profile.ZkGroupServerPublicParams, logger);

    private async Task<Protocol.SealedSender.SenderCertificate> SenderCertificateAsync(CancellationToken cancellationToken)
    {
        if (senderCertificate is null)
        {
            var bytes = await api.GetSenderCertificateAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            senderCertificate = Protocol.SealedSender.SenderCertificate.Deserialize(bytes);
        }

        return senderCertificate;
    }
}
