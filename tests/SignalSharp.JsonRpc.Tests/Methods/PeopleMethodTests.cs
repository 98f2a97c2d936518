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
}
