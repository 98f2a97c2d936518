using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Storage;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Store;
using SignalSharp.Store.Groups;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Sending;

/// <summary>
/// A finished DataMessage to a group: membership checked first, the group's context attached, the send itself
/// <see cref="GroupSender"/>'s, then the Sent transcript to the account's other devices. Learning groups is the
/// group manager's. Runs under the account's protocol gate (it changes sessions and the sender-key chain).
/// </summary>
internal sealed class GroupMessageSender(
    ServerProfile profile, ChatApi api, AccountDatabase db, AccountRecord record, SemaphoreSlim protocolGate,
    SealedAccess sealedAccess, bool multiRecipientSend, ILogger logger) : IDisposable
{
    private GroupSendContext? context;

    /// <summary>What the last group send did (for diagnostics and the benchmark).</summary>
    public GroupSendReport? LastSend { get; private set; }

    /// <summary>The group by id, if the account is a full member of it (status 6 unknown, 7 not a member).</summary>
    public async Task<GroupRecord> RequireGroupAsync(GroupId groupId, CancellationToken cancellationToken)
    {
        var group = await db.Groups.GetAsync(groupId.Bytes.ToArray(), cancellationToken).ConfigureAwait(false)
            ?? throw new GroupNotFoundException(groupId);
        return group.IsMember(record.Aci) ? group : throw new NotAGroupMemberException(groupId);
    }

    /// <summary>Sends <paramref name="data"/> with the group's context to its members, then the Sent transcript to our own devices.</summary>
    /// <param name="groupChange">For the announcement of a group change: the change as the server signed it, carried in the context.</param>
    public async Task<GroupSendReport> SendAsync(GroupRecord group, DataMessage data, ulong timestamp, CancellationToken cancellationToken, byte[]? groupChange = null)
    {
        data.GroupV2 = new GroupContextV2 { MasterKey = ByteString.CopyFrom(group.MasterKey), Revision = group.Revision };
        if (groupChange is not null)
        {
            data.GroupV2.GroupChange = ByteString.CopyFrom(groupChange);
        }

        if (record.ProfileKey is { } profileKey)
        {
            data.ProfileKey = ByteString.CopyFrom(profileKey);
        }

        // The account's other devices learn what this one sent; a group transcript names no destination.
        var transcript = new SyncMessage { Sent = new SyncMessage.Types.Sent { Timestamp = timestamp, Message = data } };
        return await SendContentAsync(group, new Content { DataMessage = data }, timestamp, transcript, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a Content that is not a data message (a typing indicator naming the group) to the group's members only.</summary>
    public Task<GroupSendReport> SendControlAsync(GroupRecord group, Content content, ulong timestamp, CancellationToken cancellationToken) =>
        SendContentAsync(group, content, timestamp, null, cancellationToken);

    private async Task<GroupSendReport> SendContentAsync(GroupRecord group, Content content, ulong timestamp, SyncMessage? transcript, CancellationToken cancellationToken)
    {
        await protocolGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stores = db.ProtocolStores(AccountIdentity.Aci);
            var oneToOne = new MessageSender(api, stores, record.Aci, record.DeviceId, logger) { SenderKeyShares = db.SenderKeyShares };
            var sender = new GroupSender(db, stores, oneToOne, Context, record.Aci, record.DeviceId, logger);
            var report = await sender.SendAsync(group, content.ToByteArray(), timestamp, cancellationToken).ConfigureAwait(false);
            LastSend = report;
            AccountLog.GroupSent(logger, report.SenderKeyRecipients, report.MultiRecipient ? "multi-recipient" : "none", report.FallbackRecipients,
                report.DistributedTo, report.Unreachable.Count, report.ClientTime.TotalMilliseconds, report.Total.TotalMilliseconds);
            if (transcript is not null)
            {
                await oneToOne.SendAsync(record.Aci, new Content { SyncMessage = transcript }.ToByteArray(), timestamp, cancellationToken).ConfigureAwait(false);
            }

            return report;
        }
        finally
        {
            protocolGate.Release();
        }
    }

    /// <summary>One entry per other member of <paramref name="group"/>: reached, or skipped and why (never a bare success).</summary>
    public async Task<IReadOnlyList<RecipientSendResult>> ResultsAsync(GroupRecord group, GroupSendReport report, CancellationToken cancellationToken)
    {
        var unreachable = report.Unreachable.ToHashSet();
        var results = new List<RecipientSendResult>();
        foreach (var member in group.Members.Select(m => m.Aci).Where(a => a != record.Aci).Distinct())
        {
            var number = (await db.Recipients.GetByAciAsync(member, cancellationToken).ConfigureAwait(false))?.E164;
            var reached = !unreachable.Contains(member);
            results.Add(new RecipientSendResult(number ?? member.ToString(), new Aci(member), reached,
                reached ? null : report.SkipReasons.GetValueOrDefault(member, "not reached"), report.Untrusted.Contains(member)));
        }

        return results;
    }

    private GroupSendContext Context => context ??= new GroupSendContext(
        sealedAccess.CertificateAsync, sealedAccess.DeliveryForAsync, multiRecipientSend ? new MultiRecipientApi(profile, sealedAccess.UnauthenticatedApiAsync) : null, profile.ZkGroupServerPublicParams, logger);

    public void Dispose() => context?.Dispose();
}
