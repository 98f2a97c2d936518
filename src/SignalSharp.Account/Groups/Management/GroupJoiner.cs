using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto.GroupServer;
using SignalSharp.Account.Storage;
using SignalSharp.Service.Groups;
using SignalSharp.Store;
using SignalSharp.Store.Groups;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Groups;
using GroupMember = SignalSharp.Account.Proto.GroupServer.GroupMember;

namespace SignalSharp.Account.Groups.Management;

/// <summary>
/// Joins a group by its invite link as Signal's apps do: the group server's join info for the link's password says
/// whether the link lets anyone in or takes requests; the account then adds itself (with its own profile key credential
/// presentation, <c>joinFromInviteLink</c>) or asks to join, in a change that presents the password. A join stores the
/// group's full state (now readable); a request stores what the join info told, with the account as requesting member.
/// </summary>
internal sealed class GroupJoiner(AccountDatabase db, AccountRecord record, GroupManager groups, MemberPresentations presentations, ILogger logger)
{
    private const int Attempts = 3;

    /// <summary>The stored group, the signed change (null when the account was already a member) and whether it only asked to join.</summary>
    public async Task<(GroupRecord Group, byte[]? SignedChange, bool Requested)> JoinAsync(string inviteLink, CancellationToken cancellationToken)
    {
        var (masterKey, password) = GroupInviteLink.Parse(inviteLink);
        GroupSecretParams secretParams;
        try
        {
            secretParams = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(masterKey));
        }
        catch (ZkGroupException e)
        {
            throw new InvalidGroupLinkException("it carries no valid group key", e);
        }

        var groupId = new GroupId(secretParams.GroupIdentifier.ToArray());
        if (await db.Groups.GetAsync(groupId.Bytes.ToArray(), cancellationToken).ConfigureAwait(false) is { } known && known.IsMember(record.Aci))
        {
            return (known, null, false);
        }

        var ownProfileKey = record.ProfileKey ?? throw new GroupChangeFailedException("the account has no profile key (link it again)");
        var publicParams = secretParams.PublicParams.Serialize();
        for (var attempt = 1; ; attempt++)
        {
            var info = await JoinInfoAsync(secretParams, password, cancellationToken).ConfigureAwait(false);
            if (info.PendingAdminApproval)
            {
                throw new PendingAdminApprovalException(groupId);
            }

            var requested = info.AddFromInviteLink == GroupAccess.Administrator;
            var presentation = ByteString.CopyFrom(await presentations.PresentAsync(record.Aci, ownProfileKey, secretParams, cancellationToken).ConfigureAwait(false));
            var actions = new GroupChangeActionsMessage { Version = info.Version + 1 };
            if (info.AddFromInviteLink == GroupAccess.Any)
            {
                actions.AddMembers.Add(new GroupChangeActionsMessage.Types.AddMember
                {
                    Added = new GroupMember { Role = GroupAccess.RoleDefault, Presentation = presentation }, JoinFromInviteLink = true,
                });
            }
            else if (requested)
            {
                actions.AddMembersPendingAdminApproval.Add(new GroupChangeActionsMessage.Types.AddMemberPendingAdminApproval
                {
                    Added = new GroupMemberPendingAdminApproval { Presentation = presentation, Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                });
            }
            else
            {
                throw new InactiveGroupLinkException("the group's link is turned off");
            }

            byte[] answer;
            try
            {
                answer = await groups.Server.ModifyGroupByLinkAsync(publicParams, await groups.PresentAuthAsync(secretParams, cancellationToken).ConfigureAwait(false),
                    actions.ToByteArray(), password, cancellationToken).ConfigureAwait(false);
            }
            catch (GroupChangeConflictException) when (attempt < Attempts)
            {
                GroupAdminLog.Conflict(logger, groupId.ToBase64(), info.Version);
                continue;
            }
            catch (GroupAccessDeniedException e)
            {
                throw new InactiveGroupLinkException("the group server refused the link", e);
            }

            var signed = GroupChangeResponseMessage.Parser.ParseFrom(answer).GroupChange
                ?? throw new GroupChangeFailedException("the group server answered without the signed change");
            if (!groups.ServerParams.VerifySignature(signed.Actions.Span, signed.ServerSignature.Span))
            {
                throw new GroupChangeFailedException("the group server's signature over the change does not verify");
            }

            GroupAdminLog.Joined(logger, groupId.ToBase64(), info.Version + 1, requested);
            var group = requested
                ? await StoreRequestAsync(secretParams, info, cancellationToken).ConfigureAwait(false)
                : await groups.GetOrFetchAsync(masterKey, info.Version + 1, cancellationToken).ConfigureAwait(false)
                    ?? throw new GroupChangeFailedException("the group server does not show the group after the join");
            return (group, signed.ToByteArray(), requested);
        }
    }

    private async Task<GroupJoinInfoMessage> JoinInfoAsync(GroupSecretParams secretParams, byte[] password, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await groups.Server.GetJoinInfoAsync(secretParams.PublicParams.Serialize(), await groups.PresentAuthAsync(secretParams, cancellationToken).ConfigureAwait(false),
                password, cancellationToken).ConfigureAwait(false);
            return GroupJoinInfoMessage.Parser.ParseFrom(answer);
        }
        catch (GroupAccessDeniedException e)
        {
            throw new InactiveGroupLinkException("the group server refused the link (turned off, reset, or the account is banned)", e);
        }
        catch (GroupNotFoundOnServerException e)
        {
            throw new InactiveGroupLinkException("the group server knows no such group", e);
        }
    }

    /// <summary>A group the account asked to join cannot be read yet: what the join info said, the account as the requesting member.</summary>
    private async Task<GroupRecord> StoreRequestAsync(GroupSecretParams secretParams, GroupJoinInfoMessage info, CancellationToken cancellationToken)
    {
        var cipher = new ClientZkGroupCipher(secretParams);
        var group = new GroupRecord(secretParams.GroupIdentifier.ToArray(), secretParams.MasterKey.Serialize(), info.Version + 1,
            info.Title.IsEmpty ? null : GroupStateDecryptor.DecryptBlob(cipher, info.Title, "the title")?.Title, [], [], [record.Aci], false, null, DateTimeOffset.UtcNow)
        {
            Description = info.Description.IsEmpty ? null : GroupStateDecryptor.DecryptBlob(cipher, info.Description, "the description")?.DescriptionText,
            InviteLinkAccess = info.AddFromInviteLink,
        };
        await groups.StateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await db.Groups.UpsertAsync(group, cancellationToken).ConfigureAwait(false);
            return group;
        }
        finally
        {
            groups.StateGate.Release();
        }
    }
}
