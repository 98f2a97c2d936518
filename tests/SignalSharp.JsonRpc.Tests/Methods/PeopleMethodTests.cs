using System.Text.Json.Nodes;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

/// <summary>signal-cli's people methods: parameters by signal-cli's names reach the account, answers and errors as signal-cli's.</summary>
public sealed class PeopleMethodTests
{
    [Fact]
    public async Task UpdateProfile_passes_signal_clis_parameters_and_answers_an_empty_result()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"updateProfile","params":{"given-name":"Ada","familyName":"Lovelace","about":"","aboutEmoji":"🧮","removeAvatar":true},"id":1}"""));

        Assert.Empty(answer["result"]!.AsObject());
        var update = harness.Fake.FakePeople.LastProfileUpdate!;
        Assert.Equal(("Ada", "Lovelace", "", "🧮", true), (update.GivenName, update.FamilyName, update.About, update.AboutEmoji, update.RemoveAvatar));
        Assert.False(update.RotateProfileKey);
    }

    [Fact]
    public async Task UpdateProfile_takes_our_rotateProfileKey_extension()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"updateProfile","params":{"rotateProfileKey":true},"id":1}"""));

        Assert.Empty(answer["result"]!.AsObject());
        var update = harness.Fake.FakePeople.LastProfileUpdate!;
        Assert.True(update.RotateProfileKey);
        Assert.Equal((null, null), (update.GivenName, update.AvatarPath));
    }

    [Fact]
    public async Task UpdateProfile_takes_signal_clis_older_name_parameter_and_reports_a_refusal_as_a_user_error()
    {
        await using var harness = new Harness();
        await harness.AskAsync("""{"jsonrpc":"2.0","method":"updateProfile","params":{"name":"Ada"},"id":1}""");
        Assert.Equal("Ada", harness.Fake.FakePeople.LastProfileUpdate!.GivenName);

        var refused = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"updateProfile","params":{"avatar":"/tmp/me.png"},"id":2}"""));
        Assert.Equal(-1, (int)refused["error"]!["code"]!);
        Assert.Contains("avatar", (string)refused["error"]!["message"]!);
    }

    [Fact]
    public async Task GetAvatar_answers_signal_clis_data_and_could_not_find_avatar()
    {
        await using var harness = new Harness();
        var found = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"getAvatar","params":{"groupId":"{{FakeAccount.MemberGroup.ToBase64()}}"},"id":1}"""));
        Assert.Equal(Convert.ToBase64String(FakePeople.GroupAvatar), (string)found["result"]!["data"]!);

        var missing = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"getAvatar","params":{"profile":"{{FakeAccount.KnownNumber}}"},"id":2}"""));
        Assert.Equal((-1, "Could not find avatar"), ((int)missing["error"]!["code"]!, (string)missing["error"]!["message"]!));
        Assert.Contains(harness.Fake.FakePeople.Calls, c => c.StartsWith("getAvatar Profile", StringComparison.Ordinal));
        var contact = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"getAvatar","params":{"contact":"{{FakeAccount.KnownNumber}}"},"id":5}"""));
        Assert.Equal("Could not find avatar", (string)contact["error"]!["message"]!);
        Assert.Contains(harness.Fake.FakePeople.Calls, c => c.StartsWith("getAvatar Contact", StringComparison.Ordinal) && c.Contains(FakeAccount.KnownNumber, StringComparison.Ordinal));

        var neither = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"getAvatar","params":{},"id":3}"""));
        Assert.Equal(-32602, (int)neither["error"]!["code"]!);
        var both = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"getAvatar","params":{"contact":"{{FakeAccount.KnownNumber}}","groupId":"{{FakeAccount.MemberGroup.ToBase64()}}"},"id":4}"""));
        Assert.Equal(-32602, (int)both["error"]!["code"]!);
    }

    [Fact]
    public async Task Block_unblock_removeContact_and_updateContacts_name_reach_the_account_with_signal_clis_parameters()
    {
        await using var harness = new Harness();
        const string Group = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        var number = FakeAccount.KnownNumber;
        string[] requests =
        [
            $$$"""{"jsonrpc":"2.0","method":"block","params":{"recipient":["{{{number}}}"],"groupId":"{{{Group}}}"},"id":1}""",
            $$$"""{"jsonrpc":"2.0","method":"unblock","params":{"recipient":"{{{number}}}"},"id":2}""",
            $$$"""{"jsonrpc":"2.0","method":"updateContact","params":{"recipient":"{{{number}}}","givenName":"Ada","familyName":"Lovelace"},"id":3}""",
            $$$"""{"jsonrpc":"2.0","method":"updateContact","params":{"recipient":"{{{number}}}","name":"Countess"},"id":4}""",
            $$$"""{"jsonrpc":"2.0","method":"removeContact","params":{"recipient":"{{{number}}}","forget":true},"id":5}""",
        ];
        foreach (var request in requests)
        {
            var answer = JsonLine.Parse(await harness.AskAsync(request));
            Assert.Empty(answer["result"]!.AsObject());
        }

        Assert.Equal(
            [$"block {number} {Group}", $"unblock {number} ", $"name {number} Ada Lovelace", $"name {number} Countess", $"remove {number} True"],
            harness.Fake.FakePeople.Calls);
        var missing = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"block","params":{},"id":6}"""));
        Assert.Equal(-32602, (int)missing["error"]!["code"]!);
    }

    [Fact]
    public async Task ListDevices_answers_signal_clis_JsonDevice_list_and_removeDevice_takes_deviceId()
    {
        await using var harness = new Harness();
        var list = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"listDevices","id":1}"""))["result"]!.AsArray();

        Assert.Equal(2, list.Count);
        Assert.Equal(2, (int)list[1]!["id"]!);
        Assert.Equal("signal-sharp", (string?)list[1]!["name"]);
        Assert.Equal(1_764_000_000_001, (long)list[1]!["createdTimestamp"]!);
        Assert.Equal(1_764_000_000_002, (long)list[1]!["lastSeenTimestamp"]!);
        Assert.True(list[0]!.AsObject().ContainsKey("name"));
        Assert.Null(list[0]!["name"]);

        var removed = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"removeDevice","params":{"device-id":3},"id":2}"""));
        Assert.Empty(removed["result"]!.AsObject());
        Assert.Equal(["removeDevice 3"], harness.Fake.FakePeople.Calls);
        var missing = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"removeDevice","params":{},"id":3}"""));
        Assert.Equal(-32602, (int)missing["error"]!["code"]!);
    }

    [Fact]
    public async Task AddDevice_hands_the_uri_to_the_account_and_answers_an_empty_result()
    {
        await using var harness = new Harness();
        const string Uri = "sgnl://linkdevice?uuid=abc&pub_key=BQ%2Bx";
        var added = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"addDevice","params":{"uri":"{{Uri}}"},"id":1}"""));
        Assert.Empty(added["result"]!.AsObject());
        Assert.Equal([$"addDevice {Uri}"], harness.Fake.FakePeople.Calls);
        var missing = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"addDevice","params":{},"id":2}"""));
        Assert.Equal(-32602, (int)missing["error"]!["code"]!);
    }

    [Fact]
    public async Task SendMessageRequestResponse_takes_signal_clis_type_recipients_and_groups_and_refuses_an_unknown_type()
    {
        await using var harness = new Harness();
        const string Group = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        var number = FakeAccount.KnownNumber;
        var accepted = JsonLine.Parse(await harness.AskAsync(
            $$$"""{"jsonrpc":"2.0","method":"sendMessageRequestResponse","params":{"recipient":"{{{number}}}","type":"accept"},"id":1}"""));
        Assert.Empty(accepted["result"]!.AsObject());
        var deleted = JsonLine.Parse(await harness.AskAsync(
            $$$"""{"jsonrpc":"2.0","method":"sendMessageRequestResponse","params":{"groupId":["{{{Group}}}"],"type":"DELETE"},"id":2}"""));
        Assert.Empty(deleted["result"]!.AsObject());
        Assert.Equal([$"messageRequestResponse Accept {number}", $"messageRequestResponse Delete {Group}"], harness.Fake.FakePeople.Calls);

        var badType = JsonLine.Parse(await harness.AskAsync(
            $$$"""{"jsonrpc":"2.0","method":"sendMessageRequestResponse","params":{"recipient":"{{{number}}}","type":"block"},"id":3}"""));
        Assert.Equal(-32602, (int)badType["error"]!["code"]!);
        var noType = JsonLine.Parse(await harness.AskAsync(
            $$$"""{"jsonrpc":"2.0","method":"sendMessageRequestResponse","params":{"recipient":"{{{number}}}"},"id":4}"""));
        Assert.Equal(-32602, (int)noType["error"]!["code"]!);
        var nobody = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"sendMessageRequestResponse","params":{"type":"accept"},"id":5}"""));
        Assert.Equal(-32602, (int)nobody["error"]!["code"]!);
        Assert.Equal(2, harness.Fake.FakePeople.Calls.Count);
    }
}
