using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Proto.GroupItems;
using SignalSharp.Account.Proto.GroupServer;
using SignalSharp.Store.Groups;
using SignalSharp.Store.Inbox;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Groups;

/// <summary>
/// Follows a known group from its stored revision to the server's newest one through the change log
/// (<c>GET /v2/groups/logs/{revision + 1}</c>): each change's notary signature is checked against the server's
/// params, its actions decoded and applied to the previous revision, and each becomes an inbox item naming its
/// author, revision and what changed; the new state and the items are stored together. A log the account cannot
/// read (it joined after that revision) or a change that does not verify leaves the caller to refetch the state whole.
/// </summary>
internal sealed class GroupLogFollower(GroupManager groups, ILogger logger)
{
    /// <summary>
    /// Pages followed before giving up on the log (and fetching the state whole): Signal's server pages at most 64
    /// revisions at a time, so this is far beyond any group a person keeps up with, and ends a server that pages forever.
    /// </summary>
    private const int MaxPages = 1000;

    /// <summary>The state after the last change in the log and one item per change; null when the log cannot be used.</summary>
    public async Task<(GroupState State, IReadOnlyList<InboxItem> Items)?> FollowAsync(GroupRecord stored, CancellationToken cancellationToken)
    {
        var secretParams = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(stored.MasterKey));
        var publicParams = secretParams.PublicParams.Serialize();
        // The store keeps no avatar key: the one of the file stored stands for it, so an unchanged avatar stays.
        var state = FromRecord(stored) with { AvatarKey = await groups.Avatars.StoredKeyAsync(stored.GroupId, cancellationToken).ConfigureAwait(false) };
        var items = new List<InboxItem>();
        uint? from = stored.Revision + 1;
        for (var page = 0; from is { } since; page++)
        {
            if (page == MaxPages)
            {
                GroupLogLog.TooManyPages(logger, Convert.ToBase64String(stored.GroupId), MaxPages);
                return null;
            }

            Service.Groups.GroupLogPage answer;
            try
            {
                // A presentation serves one request: each page gets its own.
                answer = await groups.Server.GetGroupLogPageAsync(publicParams, await groups.PresentAuthAsync(secretParams, cancellationToken).ConfigureAwait(false),
                    since, 0, cancellationToken).ConfigureAwait(false);
            }
            catch (Service.Groups.GroupAccessDeniedException e)
            {
                AccountLog.GroupRefused(logger, Convert.ToBase64String(stored.GroupId), e.GetType().Name);
                return null;
            }

            var log = GroupChangesMessage.Parser.ParseFrom(answer.Changes);
            foreach (var entry in log.GroupChanges.Where(e => e.GroupChange is not null))
            {
                var change = entry.GroupChange;
                if (!groups.ServerParams.VerifySignature(change.Actions.Span, change.ServerSignature.Span))
                {
                    GroupLogLog.UnsignedChange(logger, Convert.ToBase64String(stored.GroupId), state.Revision + 1);
                    return null;
                }

                var applied = GroupChangeApplier.Apply(secretParams, state, change.Actions.Span);
                state = applied.State;
                items.Add(ItemFor(state, applied));
                GroupLogLog.Applied(logger, Convert.ToBase64String(stored.GroupId), state.Revision, applied.Entries.Count);
            }

            // The server's endorsements come with the last page only.
            if (!log.GroupSendEndorsementsResponse.IsEmpty)
            {
                state = state with { EndorsementsResponse = log.GroupSendEndorsementsResponse.ToByteArray() };
            }

            from = answer.NextFrom;
        }

        return (state, items);
    }

    /// <summary>The stored revision as a state to apply changes to (what the store does not keep, invitees' inviters, starts empty).</summary>
    private static GroupState FromRecord(GroupRecord stored) => new(
        stored.GroupId,
        stored.MasterKey,
        stored.Revision,
        stored.Title,
        stored.Description,
        stored.ExpirationSeconds == 0 ? null : stored.ExpirationSeconds,
        [.. stored.Members.Select(m => new GroupMemberState(m.Aci, m.Role, m.ProfileKey, m.JoinedAtRevision))],
        [.. stored.PendingMembers.Select(p => new PendingGroupMember(p, false, GroupState.RoleDefault, null))],
        [.. stored.RequestingMembers.Select(r => new RequestingGroupMember(r, null))],
        stored.BannedMembers,
        stored.IsAnnouncementOnly,
        false,
        stored.EndorsementsResponse)
    {
        AttributesAccess = stored.AttributesAccess,
        MembersAccess = stored.MembersAccess,
        AddFromInviteLinkAccess = stored.InviteLinkAccess,
        InviteLinkPassword = stored.InviteLinkPassword,
    };

    private static InboxItem ItemFor(GroupState state, AppliedGroupChange applied)
    {
        var record = new GroupChangeItemMessage { Revision = state.Revision, Title = state.Title ?? "" };
        foreach (var entry in applied.Entries)
        {
            record.Entries.Add(new GroupChangeItemMessage.Types.Entry
            {
                Kind = entry.Kind,
                Subject = entry.Subject is { } subject ? ByteString.CopyFrom(subject.ToByteArray(bigEndian: true)) : ByteString.Empty,
                Value = entry.Value ?? "",
            });
        }

        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new InboxItem
        {
            Kind = InboxItemKind.GroupChange,
            Timestamp = now,
            ServerTimestamp = now,
            Sender = new InboxSender(applied.Author, null, null),
            GroupId = state.GroupId,
            RawContent = record.ToByteArray(),
        };
    }
}

internal static partial class GroupLogLog
{
    [LoggerMessage(1752, LogLevel.Warning, "Group {Group}: the change log ran over {Pages} pages; fetching the state instead")]
    public static partial void TooManyPages(ILogger logger, string group, int pages);

    [LoggerMessage(1750, LogLevel.Information, "Group {Group}: applied revision {Revision} from the change log ({Changes} changes)")]
    public static partial void Applied(ILogger logger, string group, uint revision, int changes);

    [LoggerMessage(1751, LogLevel.Warning, "Group {Group}: the logged change to revision {Revision} carries no valid server signature; fetching the state instead")]
    public static partial void UnsignedChange(ILogger logger, string group, uint revision);
}
