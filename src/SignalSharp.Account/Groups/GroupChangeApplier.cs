using Google.Protobuf;
using SignalSharp.Account.Proto.GroupServer;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Groups;

/// <summary>One thing a group change did, for the item clients get ("Alice added Bob"): a kind, whom it concerns, a new value.</summary>
internal sealed record GroupChangeEntry(string Kind, Guid? Subject = null, string? Value = null);

/// <summary>A group change decoded and applied: who made it, the state after it, and what it did.</summary>
internal sealed record AppliedGroupChange(Guid? Author, GroupState State, IReadOnlyList<GroupChangeEntry> Entries);

/// <summary>
/// Applies a decoded <c>GroupChange.Actions</c> to the state of the revision before it, as the group server did, so a
/// client follows a group revision by revision from the change log (or from a signed change a member sent) instead of
/// refetching it whole. Member ids and attributes are decrypted with the group's keys on the way.
/// </summary>
internal static class GroupChangeApplier
{
    /// <exception cref="GroupStateDecryptionException">The actions do not parse, name another revision, or an element does not decrypt.</exception>
    public static AppliedGroupChange Apply(GroupSecretParams secretParams, GroupState before, ReadOnlySpan<byte> actionsBytes)
    {
        GroupChangeActionsMessage actions;
        try
        {
            actions = GroupChangeActionsMessage.Parser.ParseFrom(actionsBytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new GroupStateDecryptionException("the group change actions", e);
        }

        if (actions.Version != before.Revision + 1)
        {
            throw new GroupStateDecryptionException($"the group change (revision {actions.Version} does not follow {before.Revision})");
        }

        var cipher = new ClientZkGroupCipher(secretParams);
        var entries = new List<GroupChangeEntry>();
        var members = before.Members.ToList();
        var pending = before.Pending.ToList();
        var requesting = before.Requesting.ToList();
        var banned = before.Banned.ToList();
        Guid? author = actions.SourceUserId.IsEmpty ? null : Id(cipher, actions.SourceUserId, "the change's author").Uuid;

        foreach (var add in actions.AddMembers)
        {
            var aci = Aci(cipher, add.Added?.UserId ?? ByteString.Empty, "an added member");
            members.RemoveAll(m => m.Aci == aci);
            pending.RemoveAll(p => p.Uuid == aci);
            requesting.RemoveAll(r => r.Aci == aci);
            members.Add(new GroupMemberState(aci, (int)(add.Added!.Role == 0 ? GroupState.RoleDefault : add.Added.Role), ProfileKey(cipher, add.Added.ProfileKey, aci), actions.Version));
            entries.Add(new GroupChangeEntry(add.JoinFromInviteLink ? "member-joined-by-link" : "member-added", aci));
        }

        foreach (var delete in actions.DeleteMembers)
        {
            var aci = Aci(cipher, delete.DeletedUserId, "a removed member");
            members.RemoveAll(m => m.Aci == aci);
            entries.Add(new GroupChangeEntry(aci == author ? "member-left" : "member-removed", aci));
        }

        foreach (var role in actions.ModifyMemberRoles)
        {
            var aci = Aci(cipher, role.UserId, "a member whose role changed");
            var index = members.FindIndex(m => m.Aci == aci);
            if (index >= 0)
            {
                members[index] = members[index] with { Role = (int)role.Role };
            }

            entries.Add(new GroupChangeEntry(role.Role == GroupState.RoleAdministrator ? "admin-added" : "admin-removed", aci));
        }

        foreach (var key in actions.ModifyMemberProfileKeys.Where(k => !k.UserId.IsEmpty))
        {
            var aci = Aci(cipher, key.UserId, "a member whose profile key changed");
            var index = members.FindIndex(m => m.Aci == aci);
            if (index >= 0)
            {
                members[index] = members[index] with { ProfileKey = ProfileKey(cipher, key.ProfileKey, aci) };
            }
        }

        foreach (var invite in actions.AddMembersPendingProfileKey)
        {
            var id = Id(cipher, invite.Added?.Member?.UserId ?? ByteString.Empty, "an invited member");
            pending.Add(new PendingGroupMember(id.Uuid, id.IsPni, (int)(invite.Added!.Member!.Role), author));
            entries.Add(new GroupChangeEntry("member-invited", id.Uuid));
        }

        foreach (var revoke in actions.DeleteMembersPendingProfileKey)
        {
            var id = Id(cipher, revoke.DeletedUserId, "a revoked invitation");
            pending.RemoveAll(p => p.Uuid == id.Uuid);
            entries.Add(new GroupChangeEntry(id.Uuid == author ? "invitation-declined" : "invitation-revoked", id.Uuid));
        }

        foreach (var promote in actions.PromoteMembersPendingProfileKey.Where(p => !p.UserId.IsEmpty))
        {
            var aci = Aci(cipher, promote.UserId, "an invitee who accepted");
            var invited = pending.FirstOrDefault(p => p.Uuid == aci);
            pending.RemoveAll(p => p.Uuid == aci);
            members.Add(new GroupMemberState(aci, invited?.Role is > 0 ? invited.Role : GroupState.RoleDefault, ProfileKey(cipher, promote.ProfileKey, aci), actions.Version));
            entries.Add(new GroupChangeEntry("invitation-accepted", aci));
        }

        foreach (var promote in actions.PromoteMembersPendingPniAciProfileKey.Where(p => !p.UserId.IsEmpty))
        {
            var aci = Aci(cipher, promote.UserId, "an invitee who accepted");
            var pni = promote.Pni.IsEmpty ? (Guid?)null : Id(cipher, promote.Pni, "the invited phone number identity").Uuid;
            var invited = pending.FirstOrDefault(p => p.Uuid == pni);
            pending.RemoveAll(p => p.Uuid == pni || p.Uuid == aci);
            members.Add(new GroupMemberState(aci, invited?.Role is > 0 ? invited.Role : GroupState.RoleDefault, ProfileKey(cipher, promote.ProfileKey, aci), actions.Version));
            entries.Add(new GroupChangeEntry("invitation-accepted", aci));
        }

        foreach (var request in actions.AddMembersPendingAdminApproval)
        {
            var aci = Aci(cipher, request.Added?.UserId ?? ByteString.Empty, "a member asking to join");
            requesting.Add(new RequestingGroupMember(aci, ProfileKey(cipher, request.Added!.ProfileKey, aci)));
            entries.Add(new GroupChangeEntry("join-requested", aci));
        }

        foreach (var denied in actions.DeleteMembersPendingAdminApproval)
        {
            var aci = Aci(cipher, denied.DeletedUserId, "a join request withdrawn or denied");
            requesting.RemoveAll(r => r.Aci == aci);
            entries.Add(new GroupChangeEntry(aci == author ? "join-request-cancelled" : "join-request-denied", aci));
        }

        foreach (var approved in actions.PromoteMembersPendingAdminApproval)
        {
            var aci = Aci(cipher, approved.UserId, "an approved join request");
            var request = requesting.FirstOrDefault(r => r.Aci == aci);
            requesting.RemoveAll(r => r.Aci == aci);
            members.Add(new GroupMemberState(aci, approved.Role == 0 ? GroupState.RoleDefault : (int)approved.Role, request?.ProfileKey, actions.Version));
            entries.Add(new GroupChangeEntry("join-request-approved", aci));
        }

        foreach (var ban in actions.AddMembersBanned)
        {
            var id = Id(cipher, ban.Added?.UserId ?? ByteString.Empty, "a banned member");
            banned.Add(id.Uuid);
            entries.Add(new GroupChangeEntry("member-banned", id.Uuid));
        }

        foreach (var unban in actions.DeleteMembersBanned)
        {
            var id = Id(cipher, unban.DeletedUserId, "an unbanned member");
            banned.Remove(id.Uuid);
            entries.Add(new GroupChangeEntry("member-unbanned", id.Uuid));
        }

        var state = before with { Revision = actions.Version, Members = members, Pending = pending, Requesting = requesting, Banned = banned };
        if (actions.ModifyTitle is { } title)
        {
            state = state with { Title = title.Title.IsEmpty ? null : GroupStateDecryptor.DecryptBlob(cipher, title.Title, "the title")?.Title };
            entries.Add(new GroupChangeEntry("title", Value: state.Title));
        }

        if (actions.ModifyDescription is { } description)
        {
            state = state with
            {
                Description = description.Description.IsEmpty ? null : GroupStateDecryptor.DecryptBlob(cipher, description.Description, "the description")?.DescriptionText,
            };
            entries.Add(new GroupChangeEntry("description", Value: state.Description));
        }

        if (actions.ModifyDisappearingMessageTimer is { } timer)
        {
            uint? seconds = timer.Timer.IsEmpty ? null : GroupStateDecryptor.DecryptBlob(cipher, timer.Timer, "the timer")?.DisappearingMessagesDuration;
            state = state with { DisappearingMessagesSeconds = seconds };
            entries.Add(new GroupChangeEntry("expiration", Value: (seconds ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (actions.ModifyAvatar is { } avatar)
        {
            state = state with { AvatarKey = string.IsNullOrEmpty(avatar.Avatar) ? null : avatar.Avatar };
            entries.Add(new GroupChangeEntry("avatar"));
        }

        if (actions.ModifyAttributesAccess is { } attributes)
        {
            state = state with { AttributesAccess = attributes.Access };
            entries.Add(new GroupChangeEntry("permission-edit-details", Value: Permission(attributes.Access)));
        }

        if (actions.ModifyMemberAccess is { } memberAccess)
        {
            state = state with { MembersAccess = memberAccess.Access };
            entries.Add(new GroupChangeEntry("permission-add-member", Value: Permission(memberAccess.Access)));
        }

        if (actions.ModifyAddFromInviteLinkAccess is { } link)
        {
            state = state with { AddFromInviteLinkAccess = link.Access };
            entries.Add(new GroupChangeEntry("invite-link", Value: LinkState(link.Access)));
        }

        if (actions.ModifyInviteLinkPassword is { } password)
        {
            state = state with { InviteLinkPassword = password.InviteLinkPassword.IsEmpty ? null : password.InviteLinkPassword.ToByteArray() };
            entries.Add(new GroupChangeEntry("invite-link-reset"));
        }

        if (actions.ModifyAnnouncementsOnly is { } announcements)
        {
            state = state with { AnnouncementsOnly = announcements.AnnouncementsOnly };
            entries.Add(new GroupChangeEntry("permission-send-messages", Value: announcements.AnnouncementsOnly ? "only-admins" : "every-member"));
        }

        if (actions.TerminateGroup is not null)
        {
            state = state with { Terminated = true };
            entries.Add(new GroupChangeEntry("terminated"));
        }

        return new AppliedGroupChange(author, state, entries);
    }

    /// <summary>signal-cli's names for an access level.</summary>
    public static string Permission(uint access) => access == 3 ? "only-admins" : "every-member";

    public static string LinkState(uint access) => access switch
    {
        1 => "enabled",
        3 => "enabled-with-approval",
        _ => "disabled",
    };

    private static (Guid Uuid, bool IsPni) Id(ClientZkGroupCipher cipher, ByteString userId, string what)
    {
        var serviceId = GroupStateDecryptor.DecryptServiceId(cipher, userId, what);
        return (new Guid(serviceId.Uuid, bigEndian: true), serviceId.Kind == ZkServiceIdKind.Pni);
    }

    private static Guid Aci(ClientZkGroupCipher cipher, ByteString userId, string what) => GroupStateDecryptor.DecryptAci(cipher, userId, what);

    private static byte[]? ProfileKey(ClientZkGroupCipher cipher, ByteString profileKey, Guid aci) => profileKey.IsEmpty ? null : GroupStateDecryptor.Guard("a member profile key", () =>
        cipher.DecryptProfileKey(ProfileKeyCiphertext.Deserialize(profileKey.Span), ZkServiceId.Aci(aci.ToByteArray(bigEndian: true))));
}
