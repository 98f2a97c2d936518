using System.Text.Json.Nodes;
using SignalSharp.Cli.OneShot;

namespace SignalSharp.Cli.Tests.OneShot;

/// <summary>listGroups as text: signal-cli's line per group, short or with --detailed.</summary>
public sealed class GroupListingTests
{
    private static readonly JsonNode Group = JsonNode.Parse("""
        {"id":"AAEC","name":"Ops","description":"on call","isMember":true,"isBlocked":false,"messageExpirationTime":600,
         "members":[{"number":"+4366412345678","uuid":"0c9d2f6e-1111-4222-8333-944455556666","isAdmin":true},{"number":null,"uuid":"5e0c2f6e-2222-4333-8444-a55566667777","isAdmin":false}],
         "pendingMembers":[{"number":null,"uuid":"6f1d3a7b-3333-4444-8555-b66677778888"}],"requestingMembers":[{"number":"+4366400000002","uuid":"7a2e4b8c-4444-4555-8666-c77788889999"}],
         "admins":[],"banned":[],"permissionAddMember":"ONLY_ADMINS","permissionEditDetails":"EVERY_MEMBER","permissionSendMessage":"EVERY_MEMBER",
         "groupInviteLink":"https://signal.group/#CjQKIA"}
        """)!;

    [Fact]
    public void The_short_line_names_the_group_and_whether_it_is_active_and_blocked() =>
        Assert.Equal("Id: AAEC Name: Ops  Active: true Blocked: false", GroupListing.Line(Group, detailed: false));

    [Fact]
    public void The_detailed_line_lists_members_marking_admins_and_the_link() => Assert.Equal(
        "Id: AAEC Name: Ops Description: on call Active: true Blocked: false"
        + " Members: [+4366412345678{ADMIN}, 5e0c2f6e-2222-4333-8444-a55566667777] Pending members: [6f1d3a7b-3333-4444-8555-b66677778888]"
        + " Requesting members: [+4366400000002] Banned: [] Message expiration: 600s Link: https://signal.group/#CjQKIA",
        GroupListing.Line(Group, detailed: true));

    [Fact]
    public void A_group_without_a_timer_or_link_says_so()
    {
        var off = Group.DeepClone();
        off["messageExpirationTime"] = 0;
        off["groupInviteLink"] = null;
        off["name"] = null;
        Assert.EndsWith("Message expiration: disabled Link: -", GroupListing.Line(off, detailed: true), StringComparison.Ordinal);
        Assert.StartsWith("Id: AAEC Name: null ", GroupListing.Line(off, detailed: true), StringComparison.Ordinal);
    }
}
