using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

/// <summary>signal-cli's updateGroup as it reaches the account: names, members, options and the answer's shape.</summary>
public sealed class GroupMethodsTests
{
    [Fact]
    public async Task UpdateGroup_without_a_group_id_creates_one_and_answers_its_id_and_timestamp()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync($$"""
            {"jsonrpc":"2.0","method":"updateGroup","params":{"name":"Incident","member":["+4366412345678","{{FakeAccount.KnownAci}}"],
             "description":"all hands","expiration":3600},"id":1}
            """.ReplaceLineEndings("")));

        var result = answer["result"]!;
        Assert.Equal(FakeAccount.CreatedGroup.ToBase64(), (string)result["groupId"]!);
        Assert.True((long)result["timestamp"]! > 0);
        var (group, request) = Assert.Single(harness.Fake.GroupChanges);
        Assert.Null(group);
        Assert.Equal("Incident", request.Name);
        Assert.Equal("all hands", request.Description);
        Assert.Equal(3600, request.ExpirationSeconds);
        Assert.Equal([RecipientAddress.PhoneNumber(FakeAccount.KnownNumber), RecipientAddress.Aci(new Aci(FakeAccount.KnownAci))], request.AddMembers);
    }

    [Fact]
    public async Task UpdateGroup_takes_signal_clis_plural_members_too()
    {
        await using var harness = new Harness();
        JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"updateGroup","params":{"name":"G","members":["+4366412345678"]},"id":1}"""));
        var (_, request) = Assert.Single(harness.Fake.GroupChanges);
        Assert.Equal([RecipientAddress.PhoneNumber(FakeAccount.KnownNumber)], request.AddMembers);
    }

    [Fact]
    public async Task UpdateGroup_with_a_group_id_changes_it_by_signal_clis_option_names()
    {
        await using var harness = new Harness();
        var group = FakeAccount.MemberGroup.ToBase64();
        var answer = JsonLine.Parse(await harness.AskAsync($$"""
            {"jsonrpc":"2.0","method":"updateGroup","params":{"groupId":"{{group}}","name":"New","description":"d","expiration":60,
             "member":"+4366412345678","removeMember":["{{FakeAccount.KnownAci}}"],"admin":"+4366412345678","removeAdmin":"{{FakeAccount.KnownAci}}",
             "setPermissionAddMember":"only-admins","setPermissionEditDetails":"every-member","setPermissionSendMessages":"only-admins",
             "link":"enabled-with-approval","resetLink":true},"id":1}
            """.ReplaceLineEndings("")));

        Assert.True((long)answer["result"]!["timestamp"]! > 0);
        Assert.Null(answer["result"]!["groupId"]);
        var (id, request) = Assert.Single(harness.Fake.GroupChanges);
        Assert.Equal(FakeAccount.MemberGroup, id);
        var number = RecipientAddress.PhoneNumber(FakeAccount.KnownNumber);
        var aci = RecipientAddress.Aci(new Aci(FakeAccount.KnownAci));
        Assert.Equal(("New", "d", 60), (request.Name, request.Description, request.ExpirationSeconds));
        Assert.Equal([number], request.AddMembers);
        Assert.Equal([aci], request.RemoveMembers);
        Assert.Equal([number], request.AddAdmins);
        Assert.Equal([aci], request.RemoveAdmins);
        Assert.Equal(GroupPermission.OnlyAdmins, request.AddMembersPermission);
        Assert.Equal(GroupPermission.EveryMember, request.EditDetailsPermission);
        Assert.Equal(GroupPermission.OnlyAdmins, request.SendMessagesPermission);
        Assert.Equal(GroupLinkState.EnabledWithApproval, request.Link);
        Assert.True(request.ResetLink);
    }

    [Fact]
    public async Task QuitGroup_names_the_group_and_the_new_admins()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"quitGroup","params":{"groupId":"{{FakeAccount.MemberGroup.ToBase64()}}","admin":"+4366412345678"},"id":1}"""));
        Assert.True((long)answer["result"]!["timestamp"]! > 0);
        var (id, request) = Assert.Single(harness.Fake.GroupChanges);
        Assert.Equal(FakeAccount.MemberGroup, id);
        Assert.Equal([RecipientAddress.PhoneNumber(FakeAccount.KnownNumber)], request.AddAdmins);
    }

    [Fact]
    public async Task UpdateGroup_of_an_unknown_group_is_a_user_error()
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"updateGroup","params":{"groupId":"{{FakeAccount.UnknownGroup.ToBase64()}}","name":"x"},"id":1}"""))["error"]!;
        Assert.Equal(-1, (int)error["code"]!);
    }

    [Fact]
    public async Task UpdateGroup_hands_the_avatar_file_to_the_account()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"updateGroup","params":{"groupId":"{{FakeAccount.MemberGroup.ToBase64()}}","avatar":"/tmp/a.png"},"id":1}"""));
        Assert.NotNull(answer["result"]);
        var (_, request) = Assert.Single(harness.Fake.GroupChanges);
        Assert.Equal("/tmp/a.png", request.AvatarPath);
    }

    [Theory]
    [InlineData("""{"name":"G","member":"bob"}""", "Invalid recipient")]
    [InlineData("""{"name":"G","setPermissionAddMember":"everyone"}""", "every-member or only-admins")]
    [InlineData("""{"name":"G","link":"on"}""", "Invalid group link state")]
    [InlineData("""{"name":"G","expiration":-1}""", "expiration")]
    public async Task Malformed_updateGroup_requests_are_refused_before_the_account(string parameters, string expected)
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"updateGroup","params":{{parameters}},"id":1}"""))["error"]!;
        Assert.Contains(expected, (string)error["message"]!, StringComparison.Ordinal);
        Assert.Empty(harness.Fake.GroupChanges);
    }

    [Fact]
    public async Task JoinGroup_answers_signal_clis_shape_and_marks_a_request()
    {
        await using var harness = new Harness();
        var joined = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"joinGroup","params":{"uri":"https://signal.group/#CjQKIA"},"id":1}"""))["result"]!;
        Assert.Equal(FakeAccount.MemberGroup.ToBase64(), (string)joined["groupId"]!);
        Assert.True((long)joined["timestamp"]! > 0);
        Assert.Null(joined["onlyRequested"]);
        var result = Assert.Single(joined["results"]!.AsArray())!;
        Assert.Equal(("SUCCESS", FakeAccount.KnownNumber), ((string)result["type"]!, (string)result["recipientAddress"]!["number"]!));

        var asked = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"joinGroup","params":{"uri":"https://signal.group/#approval"},"id":2}"""))["result"]!;
        Assert.True((bool)asked["onlyRequested"]!);
        Assert.Empty(asked["results"]!.AsArray());
        Assert.Equal(["https://signal.group/#CjQKIA", "https://signal.group/#approval"], harness.Fake.JoinedLinks);
    }

    [Theory]
    [InlineData("""{}""", -32602, "Missing parameter uri")]
    [InlineData("""{"uri":"https://example.com/#x"}""", -1, "Group link is invalid")]
    public async Task JoinGroup_without_a_usable_link_is_refused(string parameters, int code, string expected)
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"joinGroup","params":{{parameters}},"id":1}"""))["error"]!;
        Assert.Equal(code, (int)error["code"]!);
        Assert.Contains(expected, (string)error["message"]!, StringComparison.Ordinal);
        Assert.Empty(harness.Fake.JoinedLinks);
    }
}
