using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

/// <summary>updateAccount, sendContacts and getUserStatus: signal-cli's parameters and result shapes, refusals named.</summary>
public sealed class AccountMethodTests
{
    // Key order and values as written, without the default encoder's escaping of '+'.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task UpdateAccount_renames_the_device_by_signal_clis_dashed_or_camel_name_and_answers_an_empty_result()
    {
        await using var harness = new Harness();
        var dashed = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"updateAccount","params":{"device-name":"Kitchen bot"},"id":1}"""));
        var camel = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"updateAccount","params":{"deviceName":"Hall bot","username":null},"id":2}"""));
        var nothing = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"updateAccount","id":3}"""));

        Assert.Empty(dashed["result"]!.AsObject());
        Assert.Empty(camel["result"]!.AsObject());
        Assert.Empty(nothing["result"]!.AsObject());
        Assert.Equal(["deviceName Kitchen bot", "deviceName Hall bot"], harness.Fake.FakePeople.Calls);
    }

    [Theory]
    [InlineData("""{"discoverableByNumber":false}""", "discoverableByNumber")]
    [InlineData("""{"unrestricted-unidentified-sender":true}""", "unrestrictedUnidentifiedSender")]
    [InlineData("""{"numberSharing":true,"deviceName":"x"}""", "numberSharing")]
    [InlineData("""{"username":"ada.42"}""", "username")]
    [InlineData("""{"deleteUsername":true}""", "deleteUsername")]
    public async Task UpdateAccount_refuses_what_it_cannot_change_with_a_user_error_naming_it_and_changes_nothing(string parameters, string named)
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"updateAccount","params":{{parameters}},"id":"u"}"""));

        Assert.Equal(-1, (int)answer["error"]!["code"]!);
        Assert.Contains(named, (string)answer["error"]!["message"]!);
        Assert.Equal("u", (string)answer["id"]!);
        Assert.Empty(harness.Fake.FakePeople.Calls);
    }

    [Fact]
    public async Task SendContacts_reaches_the_account_and_answers_an_empty_result()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"sendContacts","id":"id"}"""));

        Assert.Empty(answer["result"]!.AsObject());
        Assert.Equal(["sendContacts"], harness.Fake.FakePeople.Calls);
    }

    [Fact]
    public async Task GetUserStatus_answers_signal_clis_JsonUserStatus_list_in_the_order_asked()
    {
        await using var harness = new Harness();
        const string ServiceId = "7a3c1f52-0d5e-4b6a-9c2f-1e8d7b6a5c4f";
        var answer = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"getUserStatus","params":{"recipients":["{{FakeAccount.KnownNumber}}","{{ServiceId}}","not a number"]},"id":7}"""));

        var list = answer["result"]!.AsArray();
        Assert.Equal(3, list.Count);
        Assert.Equal(
            $$"""{"recipient":"{{FakeAccount.KnownNumber}}","number":"{{FakeAccount.KnownNumber}}","uuid":"{{FakePeople.KnownAci}}","isRegistered":true}""",
            list[0]!.ToJsonString(Relaxed));
        Assert.Equal($$"""{"recipient":"{{ServiceId}}","uuid":null,"isRegistered":false}""", list[1]!.ToJsonString(Relaxed));
        Assert.Equal("""{"recipient":"not a number","uuid":null,"isRegistered":false}""", list[2]!.ToJsonString(Relaxed));
        Assert.Equal([$"getUserStatus {FakeAccount.KnownNumber},{ServiceId}"], harness.Fake.FakePeople.Calls);
    }

    [Fact]
    public async Task GetUserStatus_refuses_a_number_it_cannot_look_up_and_usernames_with_user_errors()
    {
        await using var harness = new Harness();
        var unknown = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"getUserStatus","params":{"recipient":"+4366499999999"},"id":1}"""));
        var byName = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"getUserStatus","params":{"username":"ada.42"},"id":2}"""));

        Assert.Equal(-1, (int)unknown["error"]!["code"]!);
        Assert.Contains("+4366499999999", (string)unknown["error"]!["message"]!);
        Assert.Contains("CDSI", (string)unknown["error"]!["message"]!);
        Assert.Equal(-1, (int)byName["error"]!["code"]!);
        Assert.Contains("username", (string)byName["error"]!["message"]!);
    }
}
