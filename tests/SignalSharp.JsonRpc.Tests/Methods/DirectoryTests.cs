using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

/// <summary>listGroups, listContacts, listIdentities, trust and sendSyncRequest: signal-cli's parameter names and result shapes.</summary>
public sealed class DirectoryTests
{
    [Fact]
    public async Task ListGroups_answers_signal_clis_group_records()
    {
        await using var harness = new Harness();
        var answer = await harness.AskAsync("""{"jsonrpc":"2.0","method":"listGroups","id":1}""");
        Assert.Equal(
            "{\"jsonrpc\":\"2.0\",\"result\":["
            + $"{{\"id\":\"{FakeAccount.MemberGroup.ToBase64()}\",\"name\":\"Test Group\",\"description\":\"on call\",\"isMember\":true,\"isBlocked\":true,\"messageExpirationTime\":600,"
            + "\"members\":[{\"number\":\"+4366412345678\",\"uuid\":\"0c9d2f6e-1111-4222-8333-944455556666\",\"isAdmin\":true},{\"number\":null,\"uuid\":\"5e0c2f6e-2222-4333-8444-a55566667777\",\"isAdmin\":false}],"
            + "\"pendingMembers\":[{\"number\":null,\"uuid\":\"6f1d3a7b-3333-4444-8555-b66677778888\"}],\"requestingMembers\":[],"
            + "\"admins\":[{\"number\":\"+4366412345678\",\"uuid\":\"0c9d2f6e-1111-4222-8333-944455556666\"}],"
            + "\"banned\":[{\"number\":\"+4366400000009\",\"uuid\":\"7a2e4b8c-4444-4555-8666-c77788889999\"}],"
            + "\"permissionAddMember\":\"ONLY_ADMINS\",\"permissionEditDetails\":\"EVERY_MEMBER\",\"permissionSendMessage\":\"EVERY_MEMBER\",\"groupInviteLink\":\"https://signal.group/#CjQKIA\"},"
            + $"{{\"id\":\"{FakeAccount.FormerGroup.ToBase64()}\",\"name\":null,\"description\":null,\"isMember\":false,\"isBlocked\":false,\"messageExpirationTime\":0,"
            + "\"members\":[],\"pendingMembers\":[],\"requestingMembers\":[],\"admins\":[],\"banned\":[],"
            + "\"permissionAddMember\":null,\"permissionEditDetails\":null,\"permissionSendMessage\":\"ONLY_ADMINS\",\"groupInviteLink\":null}"
            + "],\"id\":1}",
            answer);
    }

    [Fact]
    public async Task ListGroups_filters_by_group_id_in_either_spelling()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"listGroups","params":{"group-id":["{{FakeAccount.FormerGroup.ToBase64()}}"]},"id":1}"""));
        Assert.Equal(FakeAccount.FormerGroup.ToBase64(), (string)Assert.Single(answer["result"]!.AsArray())!["id"]!);
    }

    [Fact]
    public async Task ListContacts_answers_signal_clis_contact_records()
    {
        await using var harness = new Harness();
        var answer = await harness.AskAsync("""{"jsonrpc":"2.0","method":"listContacts","id":1}""");
        Assert.Equal(
            "{\"jsonrpc\":\"2.0\",\"result\":[{\"number\":\"+4366412345678\",\"uuid\":\"0c9d2f6e-1111-4222-8333-944455556666\",\"username\":null,\"name\":\"Alice\","
            + "\"givenName\":null,\"familyName\":null,\"nickName\":null,\"nickGivenName\":null,\"nickFamilyName\":null,\"note\":null,\"color\":\"blue\","
            + "\"isArchived\":true,\"isBlocked\":false,\"isHidden\":false,\"messageExpirationTime\":3600,\"profileSharing\":false,\"unregistered\":false,"
            + "\"profile\":{\"lastUpdateTimestamp\":0,\"givenName\":\"Alice\",\"familyName\":\"Liddell\",\"about\":null,\"aboutEmoji\":null,\"hasAvatar\":false,\"mobileCoinAddress\":null}}],\"id\":1}",
            answer);

        var blocked = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"listContacts","params":{"blocked":true},"id":2}"""));
        Assert.Empty(blocked["result"]!.AsArray());
    }

    [Fact]
    public async Task ListIdentities_formats_the_safety_number_in_twelve_groups()
    {
        await using var harness = new Harness();
        var identity = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"listIdentities","params":{"number":"+4366412345678"},"id":1}"""))["result"]![0]!;
        Assert.Equal("12345 12345 12345 12345 12345 12345 12345 12345 12345 12345 12345 12345", (string)identity["safetyNumber"]!);
        Assert.Equal("UNTRUSTED", (string)identity["trustLevel"]!);
        Assert.Equal(FakeAccount.KnownAci.ToString(), (string)identity["uuid"]!);
        Assert.Equal(1_732_000_000_000L, (long)identity["addedTimestamp"]!);
        Assert.True(identity.AsObject().ContainsKey("fingerprint"));
    }

    [Fact]
    public async Task Trust_with_a_verified_safety_number_answers_an_empty_object_and_trusts_the_key()
    {
        await using var harness = new Harness();
        Assert.Equal(
            """{"jsonrpc":"2.0","result":{},"id":1}""",
            await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"trust","params":{"recipient":"+4366412345678","verified-safety-number":"{{FakeAccount.KnownSafetyNumber}}"},"id":1}"""));
        Assert.Equal(IdentityTrust.TrustedVerified, harness.Fake.KnownTrust);
    }

    [Theory]
    [InlineData("""{"recipient":"+4366412345678","verifiedSafetyNumber":"00000"}""", "Failed to set the trust for this number, make sure the number and the fingerprint/safety number are correct.")]
    [InlineData("""{"recipient":"+4366412345678"}""", "You need to specify the fingerprint/safety number you have verified with -v SAFETY_NUMBER")]
    public async Task Trust_failures_are_user_errors_with_signal_clis_texts(string parameters, string message)
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"trust","params":{{parameters}},"id":1}"""))["error"]!;
        Assert.Equal(-1, (int)error["code"]!);
        Assert.Equal(message, (string)error["message"]!);
        Assert.Equal(IdentityTrust.Untrusted, harness.Fake.KnownTrust);
    }

    [Fact]
    public async Task SendSyncRequest_asks_the_primary_and_answers_an_empty_object()
    {
        await using var harness = new Harness();
        Assert.Equal("""{"jsonrpc":"2.0","result":{},"id":1}""", await harness.AskAsync("""{"jsonrpc":"2.0","method":"sendSyncRequest","id":1}"""));
        Assert.Equal(1, harness.Fake.SyncRequests);
    }

    [Theory]
    [InlineData("acceptCall")]
    [InlineData("startLink")]
    [InlineData("sendPinMessage")]
    public async Task A_signal_cli_method_SignalSharp_lacks_is_not_implemented_by_name(string method)
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"{{method}}","id":1}"""))["error"]!;
        Assert.Equal(-32601, (int)error["code"]!);
        Assert.Contains(method, (string)error["message"]!, StringComparison.Ordinal);
    }
}
