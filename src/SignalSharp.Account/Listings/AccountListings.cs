using SignalSharp.Account.Api;
using SignalSharp.Account.Groups.Management;
using SignalSharp.Store;
using SignalSharp.Store.Groups;

namespace SignalSharp.Account.Listings;

/// <summary>The account's groups and contacts as stored, shaped for the front ends (numbers looked up by ACI).</summary>
internal sealed class AccountListings(AccountDatabase db, Guid ownAci)
{
    private readonly Avatars.AvatarFiles avatars = new(db.DirectoryPath);

    public async Task<IReadOnlyList<GroupSummary>> GroupsAsync(CancellationToken cancellationToken)
    {
        var groups = await db.Groups.ListAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<GroupSummary>(groups.Count);
        foreach (var group in groups)
        {
            result.Add(await SummaryAsync(group, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    public async Task<IReadOnlyList<ContactSummary>> ContactsAsync(CancellationToken cancellationToken)
    {
        var contacts = await db.Contacts.ListAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<ContactSummary>(contacts.Count);
        foreach (var c in contacts)
        {
            var profile = await db.Profiles.GetAsync(c.Recipient.Id, cancellationToken).ConfigureAwait(false);
            result.Add(new ContactSummary(
                c.Recipient.E164,
                c.Recipient.Aci?.ToString(),
                c.Name,
                c.Recipient.GivenName,
                c.Recipient.FamilyName,
                c.Color,
                c.ExpirationTimerSeconds,
                c.Blocked,
                c.Archived)
            {
                // An avatar counts once its file is stored (downloaded and decrypted), not merely named by the profile.
                Profile = profile is null ? null : new ContactProfile(profile.About, profile.AboutEmoji,
                    profile.AvatarPath is not null && c.Recipient.Aci is { } aci && File.Exists(avatars.ProfileFile(c.Recipient.E164, aci)), profile.FetchedAt),
            });
        }

        return result;
    }

    private async Task<GroupSummary> SummaryAsync(GroupRecord group, CancellationToken cancellationToken)
    {
        var members = new List<Api.GroupMember>(group.Members.Count);
        foreach (var member in group.Members)
        {
            members.Add(new Api.GroupMember(await NumberAsync(member.Aci, cancellationToken).ConfigureAwait(false), member.Aci.ToString(), member.Role == (int)GroupAccess.RoleAdministrator));
        }

        var isMember = group.IsMember(ownAci);
        return new GroupSummary(
            new GroupId(group.GroupId),
            group.Title,
            group.Revision,
            isMember,
            group.IsAnnouncementOnly,
            members,
            await AddressesAsync(group.PendingMembers, cancellationToken).ConfigureAwait(false),
            await AddressesAsync(group.RequestingMembers, cancellationToken).ConfigureAwait(false))
        {
            Description = group.Description,
            ExpirationSeconds = group.ExpirationSeconds,
            IsBlocked = await db.BlockedGroups.IsBlockedAsync(group.GroupId, cancellationToken).ConfigureAwait(false),
            AddMemberPermission = Permission(group.MembersAccess),
            EditDetailsPermission = Permission(group.AttributesAccess),
            // The link lets anyone holding it in: shown to members only, as the apps do.
            InviteLink = isMember ? GroupInviteLink.UrlOf(group.MasterKey, group.InviteLinkPassword, group.InviteLinkAccess) : null,
            InviteLinkNeedsApproval = group.InviteLinkAccess == GroupAccess.Administrator,
            BannedMembers = await AddressesAsync(group.BannedMembers, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>An access level as a permission: members or anyone is every member, administrators only-admins; unknown (0) stays unknown.</summary>
    private static GroupPermission? Permission(uint access) => access switch
    {
        GroupAccess.Administrator => GroupPermission.OnlyAdmins,
        GroupAccess.Any or GroupAccess.Member => GroupPermission.EveryMember,
        _ => null,
    };

    private async Task<IReadOnlyList<MemberAddress>> AddressesAsync(IReadOnlyList<Guid> acis, CancellationToken cancellationToken)
    {
        var addresses = new List<MemberAddress>(acis.Count);
        foreach (var aci in acis)
        {
            addresses.Add(new MemberAddress(await NumberAsync(aci, cancellationToken).ConfigureAwait(false), aci.ToString()));
        }

        return addresses;
    }

    private async Task<string?> NumberAsync(Guid aci, CancellationToken cancellationToken) =>
        (await db.Recipients.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false))?.E164;
}
