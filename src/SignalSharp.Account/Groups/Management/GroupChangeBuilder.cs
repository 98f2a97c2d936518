using System.Security.Cryptography;
using Google.Protobuf;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto.GroupServer;
using SignalSharp.ZkGroup.Groups;
using GroupMember = SignalSharp.Account.Proto.GroupServer.GroupMember;

namespace SignalSharp.Account.Groups.Management;

/// <summary>What a change request names, resolved to ACIs.</summary>
internal sealed record ResolvedGroupChange(GroupChangeRequest Request, IReadOnlyList<Guid> Add, IReadOnlyList<Guid> Remove, IReadOnlyList<Guid> Admins, IReadOnlyList<Guid> Unadmins)
{
    /// <summary>The new avatar image (read from <see cref="GroupChangeRequest.AvatarPath"/>); null: the avatar stays.</summary>
    public byte[]? AvatarImage { get; init; }

    /// <summary>Our new profile key after a rotation; the change records it when the group holds another.</summary>
    public byte[]? OwnProfileKey { get; init; }

    /// <summary>Our profile key credential presentation for <see cref="OwnProfileKey"/> in a group (what the group server takes as proof).</summary>
    public Func<GroupSecretParams, CancellationToken, Task<byte[]>>? PresentOwnProfileKey { get; init; }
}

/// <summary>
/// Turns a change request into <c>GroupChange.Actions</c> against the group's current state: only what differs
/// becomes an action (a request that changes nothing gives none), at the next revision.
/// </summary>
internal sealed class GroupChangeBuilder(GroupSecretParams secretParams, Func<Guid, GroupSecretParams, CancellationToken, Task<byte[]?>> presentationOf)
{
    private readonly GroupEncryption encryption = new(secretParams);

    /// <summary>The actions, or null when nothing would change. <c>Removed</c> are full members taken out.</summary>
    /// <exception cref="GroupChangeFailedException">An admin change names someone who is not a member.</exception>
    public async Task<(GroupChangeActionsMessage? Actions, IReadOnlyList<Guid> Removed)> BuildAsync(GroupState state, ResolvedGroupChange change, Guid self,
        CancellationToken cancellationToken, string? avatarKey = null)
    {
        var request = change.Request;
        var actions = new GroupChangeActionsMessage { Version = state.Revision + 1 };
        var any = false;
        if (avatarKey is not null && avatarKey != state.AvatarKey)
        {
            actions.ModifyAvatar = new() { Avatar = avatarKey };
            any = true;
        }

        if (request.Name is { } name && name != state.Title)
        {
            actions.ModifyTitle = new() { Title = encryption.Title(name) };
            any = true;
        }

        if (request.Description is { } description && description != (state.Description ?? ""))
        {
            actions.ModifyDescription = new() { Description = description.Length == 0 ? ByteString.Empty : encryption.Description(description) };
            any = true;
        }

        if (request.ExpirationSeconds is { } seconds && (uint)seconds != (state.DisappearingMessagesSeconds ?? 0))
        {
            actions.ModifyDisappearingMessageTimer = new() { Timer = encryption.Timer((uint)seconds) };
            any = true;
        }

        foreach (var aci in change.Add.Distinct().Where(a => state.Member(a) is null && state.Pending.All(p => p.Uuid != a)))
        {
            // Adding someone who asked to join by the link approves the request, as signal-cli and Signal's apps do.
            if (state.Requesting.Any(r => r.Aci == aci))
            {
                actions.PromoteMembersPendingAdminApproval.Add(new GroupChangeActionsMessage.Types.PromoteMemberPendingAdminApproval { UserId = encryption.UserId(aci), Role = GroupAccess.RoleDefault });
            }
            else if (await presentationOf(aci, secretParams, cancellationToken).ConfigureAwait(false) is { } presentation)
            {
                actions.AddMembers.Add(new GroupChangeActionsMessage.Types.AddMember { Added = new GroupMember { Role = GroupAccess.RoleDefault, Presentation = ByteString.CopyFrom(presentation) } });
            }
            else
            {
                actions.AddMembersPendingProfileKey.Add(new GroupChangeActionsMessage.Types.AddMemberPendingProfileKey
                {
                    Added = new GroupMemberPendingProfileKey
                    {
                        Member = new GroupMember { UserId = encryption.UserId(aci), Role = GroupAccess.RoleDefault },
                        AddedByUserId = encryption.UserId(self),
                        Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                    },
                });
            }

            any = true;
        }

        if (change.OwnProfileKey is { } ownKey && change.PresentOwnProfileKey is { } present && state.Member(self) is { } me
            && (me.ProfileKey is null || !me.ProfileKey.AsSpan().SequenceEqual(ownKey)))
        {
            var presentation = await present(secretParams, cancellationToken).ConfigureAwait(false);
            actions.ModifyMemberProfileKeys.Add(new GroupChangeActionsMessage.Types.ModifyMemberProfileKey { Presentation = ByteString.CopyFrom(presentation) });
            any = true;
        }

        // signal-cli's rule: the last administrator names a new one before leaving.
        if (change.Remove.Contains(self) && state.Member(self)?.Role == GroupState.RoleAdministrator && change.Admins.Count == 0
            && !state.Members.Any(m => m.Aci != self && m.Role == GroupState.RoleAdministrator) && state.Members.Count > 1)
        {
            throw new GroupChangeFailedException("You need to specify a new admin with --admin");
        }

        var removed = new List<Guid>();
        foreach (var aci in change.Remove.Distinct())
        {
            if (state.Member(aci) is not null)
            {
                actions.DeleteMembers.Add(new GroupChangeActionsMessage.Types.DeleteMember { DeletedUserId = encryption.UserId(aci) });
                removed.Add(aci);
            }
            else if (state.Pending.FirstOrDefault(p => p.Uuid == aci) is { } invited)
            {
                actions.DeleteMembersPendingProfileKey.Add(new GroupChangeActionsMessage.Types.DeleteMemberPendingProfileKey { DeletedUserId = invited.IsPni ? encryption.PniUserId(aci) : encryption.UserId(aci) });
            }
            else if (state.Requesting.Any(r => r.Aci == aci))
            {
                actions.DeleteMembersPendingAdminApproval.Add(new GroupChangeActionsMessage.Types.DeleteMemberPendingAdminApproval { DeletedUserId = encryption.UserId(aci) });
            }
            else
            {
                continue;
            }

            any = true;
        }

        any |= Roles(state, change.Admins, GroupState.RoleAdministrator, actions);
        any |= Roles(state, change.Unadmins, GroupState.RoleDefault, actions);
        any |= Access(request.AddMembersPermission, state.MembersAccess, a => actions.ModifyMemberAccess = a);
        any |= Access(request.EditDetailsPermission, state.AttributesAccess, a => actions.ModifyAttributesAccess = a);
        if (request.SendMessagesPermission is { } send && (send == GroupPermission.OnlyAdmins) != state.AnnouncementsOnly)
        {
            actions.ModifyAnnouncementsOnly = new() { AnnouncementsOnly = send == GroupPermission.OnlyAdmins };
            any = true;
        }

        any |= Link(state, request, actions);
        return (any ? actions : null, removed);
    }

    private bool Roles(GroupState state, IReadOnlyList<Guid> acis, int role, GroupChangeActionsMessage actions)
    {
        var any = false;
        foreach (var aci in acis.Distinct())
        {
            var member = state.Member(aci) ?? throw new GroupChangeFailedException($"{aci} is not a member of the group");
            if (member.Role != role)
            {
                actions.ModifyMemberRoles.Add(new GroupChangeActionsMessage.Types.ModifyMemberRole { UserId = encryption.UserId(aci), Role = (uint)role });
                any = true;
            }
        }

        return any;
    }

    private static bool Access(GroupPermission? wanted, uint current, Action<GroupChangeActionsMessage.Types.ModifyAccess> set)
    {
        if (wanted is not { } permission)
        {
            return false;
        }

        var access = permission == GroupPermission.OnlyAdmins ? GroupAccess.Administrator : GroupAccess.Member;
        if (access == current)
        {
            return false;
        }

        set(new() { Access = access });
        return true;
    }

    private static bool Link(GroupState state, GroupChangeRequest request, GroupChangeActionsMessage actions)
    {
        var any = false;
        var current = state.AddFromInviteLinkAccess is GroupAccess.Any or GroupAccess.Administrator ? state.AddFromInviteLinkAccess : GroupAccess.Unsatisfiable;
        if (request.Link is { } link)
        {
            var access = link switch
            {
                GroupLinkState.Enabled => GroupAccess.Any,
                GroupLinkState.EnabledWithApproval => GroupAccess.Administrator,
                _ => GroupAccess.Unsatisfiable,
            };
            if (access != current)
            {
                actions.ModifyAddFromInviteLinkAccess = new() { Access = access };
                any = true;
            }

            current = access;
        }

        // A link needs a password: the first time it is enabled, and whenever it is reset.
        if (request.ResetLink || (current != GroupAccess.Unsatisfiable && state.InviteLinkPassword is null))
        {
            actions.ModifyInviteLinkPassword = new() { InviteLinkPassword = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(GroupAccess.InviteLinkPasswordLength)) };
            any = true;
        }

        return any;
    }
}
