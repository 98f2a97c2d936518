using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto.GroupServer;
using SignalSharp.Service.Groups;
using SignalSharp.Store;
using SignalSharp.Store.Groups;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Groups.Management;

/// <summary>
/// Changes an existing group through the group server (<c>PATCH /v2/groups</c>): the actions are built against the
/// group's current state as the server gives it, sent, and the change the server signed is applied to that state and
/// stored. When another member's change got in first (409), it starts again from the newer state.
/// </summary>
internal sealed class GroupUpdater(AccountDatabase db, GroupManager groups, Func<Guid, GroupSecretParams, CancellationToken, Task<byte[]?>> presentationOf, Guid self, ILogger logger)
{
    private const int Attempts = 3;

    /// <summary>The stored group after the change, the signed change (null when nothing changed) and the members it removed.</summary>
    /// <exception cref="GroupNotFoundException">The account does not know the group.</exception>
    /// <exception cref="NotAGroupMemberException">The group server no longer lets the account read the group.</exception>
    public async Task<(GroupRecord Group, byte[]? SignedChange, IReadOnlyList<Guid> Removed)> ChangeAsync(GroupId groupId, ResolvedGroupChange change, CancellationToken cancellationToken)
    {
        var stored = await db.Groups.GetAsync(groupId.Bytes.ToArray(), cancellationToken).ConfigureAwait(false) ?? throw new GroupNotFoundException(groupId);
        var secretParams = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(stored.MasterKey));
        var builder = new GroupChangeBuilder(secretParams, presentationOf);
        var publicParams = secretParams.PublicParams.Serialize();
        // Uploaded once: a retry after a conflict names the same key.
        var avatarKey = change.AvatarImage is { } image ? await groups.Avatars.UploadAsync(groups, secretParams, image, cancellationToken).ConfigureAwait(false) : null;
        for (var attempt = 1; ; attempt++)
        {
            GroupState state;
            try
            {
                var response = await groups.Server.GetGroupAsync(publicParams, await groups.PresentAuthAsync(secretParams, cancellationToken).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
                state = GroupStateDecryptor.DecryptResponse(secretParams, response);
            }
            catch (GroupAccessDeniedException)
            {
                throw new NotAGroupMemberException(groupId);
            }

            if (state.Member(self) is null)
            {
                throw new NotAGroupMemberException(groupId);
            }

            var (actions, removed) = await builder.BuildAsync(state, change, self, cancellationToken, avatarKey).ConfigureAwait(false);
            if (actions is null)
            {
                return (await StoreAsync(state, cancellationToken).ConfigureAwait(false), null, []);
            }

            byte[] answer;
            try
            {
                answer = await groups.Server.ModifyGroupAsync(publicParams, await groups.PresentAuthAsync(secretParams, cancellationToken).ConfigureAwait(false),
                    actions.ToByteArray(), cancellationToken).ConfigureAwait(false);
            }
            catch (GroupChangeConflictException) when (attempt < Attempts)
            {
                GroupAdminLog.Conflict(logger, groupId.ToBase64(), state.Revision);
                continue;
            }

            var signed = GroupChangeResponseMessage.Parser.ParseFrom(answer);
            if (signed.GroupChange is null)
            {
                throw new GroupChangeFailedException("the group server answered without the signed change");
            }

            var applied = GroupChangeApplier.Apply(secretParams, state, signed.GroupChange.Actions.Span);
            var after = applied.State with
            {
                EndorsementsResponse = signed.GroupSendEndorsementsResponse.IsEmpty ? state.EndorsementsResponse : signed.GroupSendEndorsementsResponse.ToByteArray(),
            };
            GroupAdminLog.Changed(logger, groupId.ToBase64(), after.Revision);
            return (await StoreAsync(after, cancellationToken).ConfigureAwait(false), signed.GroupChange.ToByteArray(), removed);
        }
    }

    private async Task<GroupRecord> StoreAsync(GroupState state, CancellationToken cancellationToken)
    {
        await groups.StateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await groups.StoreStateAsync(state, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            groups.StateGate.Release();
        }
    }
}
