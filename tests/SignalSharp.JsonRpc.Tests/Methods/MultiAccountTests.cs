using System.Text;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

/// <summary>
/// Multi-account mode (a daemon started without -a): requests name their account as signal-cli's do, and the
/// errors for a missing or unknown account are signal-cli's (SignalJsonRpcCommandHandler).
/// </summary>
public sealed class MultiAccountTests : IAsyncDisposable
{
    private const string First = "+4366411111111";
    private const string Second = "+4366422222222";

    private readonly FakeAccount first = new();
    private readonly FakeAccount second = new();
    private readonly RecordingOutput output = new();
    private readonly Session.JsonRpcConnection connection;

    public MultiAccountTests()
    {
        var frontEnd = JsonRpcFrontEnd.ForAccounts(
            [Served(first, First), Served(second, Second)],
            new JsonRpcOptions("", ReceiveMode.Manual) { SubscriptionPollTimeout = TimeSpan.FromSeconds(5) });
        connection = frontEnd.CreateConnection(output);
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    [Fact]
    public async Task A_request_runs_on_the_account_it_names()
    {
        var answer = JsonLine.Parse(await AskAsync(
            $$"""{"jsonrpc":"2.0","method":"send","params":{"account":"{{Second}}","recipient":"+4366412345678","message":"hi"},"id":1}"""));

        Assert.Equal("SUCCESS", (string)answer["result"]!["results"]![0]!["type"]!);
        Assert.Equal("hi", Assert.Single(second.SentMessages).Message.Text);
        Assert.Empty(first.SentMessages);
    }

    [Fact]
    public async Task A_per_account_method_without_an_account_is_refused_as_signal_cli_does()
    {
        Assert.Equal(
            """{"jsonrpc":"2.0","error":{"code":-32602,"message":"Method requires valid account parameter","data":null},"id":1}""",
            await AskAsync("""{"jsonrpc":"2.0","method":"send","params":{"recipient":"+4366412345678","message":"hi"},"id":1}"""));
        Assert.Equal(
            """{"jsonrpc":"2.0","error":{"code":-32602,"message":"Method requires valid account parameter","data":null},"id":2}""",
            await AskAsync("""{"jsonrpc":"2.0","method":"listGroups","id":2}"""));
        Assert.Empty(first.SentMessages);
        Assert.Empty(second.SentMessages);
    }

    [Fact]
    public async Task An_account_not_served_is_refused_as_signal_cli_does()
    {
        Assert.Equal(
            """{"jsonrpc":"2.0","error":{"code":-32602,"message":"Specified account does not exist","data":null},"id":1}""",
            await AskAsync("""{"jsonrpc":"2.0","method":"send","params":{"account":"+4366499999999","recipient":"+4366412345678","message":"hi"},"id":1}"""));
        Assert.Empty(first.SentMessages);
        Assert.Empty(second.SentMessages);
    }

    [Fact]
    public async Task ListAccounts_and_version_need_no_account()
    {
        Assert.Equal(
            $$"""{"jsonrpc":"2.0","result":[{"number":"{{First}}"},{"number":"{{Second}}"}],"id":1}""",
            await AskAsync("""{"jsonrpc":"2.0","method":"listAccounts","id":1}"""));
        Assert.Equal("""{"jsonrpc":"2.0","result":{"version":"0.13.19"},"id":2}""", await AskAsync("""{"jsonrpc":"2.0","method":"version","id":2}"""));
    }

    [Fact]
    public async Task A_subscription_without_an_account_carries_each_accounts_messages_with_its_number()
    {
        Assert.Equal("""{"jsonrpc":"2.0","result":0,"id":1}""", await AskAsync("""{"jsonrpc":"2.0","method":"subscribeReceive","id":1}"""));
        second.Deliver(Text("to the second", 2));
        var toSecond = await output.NextObjectAsync();
        Assert.Equal(Second, (string)toSecond["params"]!["result"]!["account"]!);
        Assert.Equal("to the second", (string)toSecond["params"]!["result"]!["envelope"]!["dataMessage"]!["message"]!);

        first.Deliver(Text("to the first", 1));
        var toFirst = await output.NextObjectAsync();
        Assert.Equal(First, (string)toFirst["params"]!["result"]!["account"]!);
        Assert.Equal(0, (int)toFirst["params"]!["subscription"]!);

        Assert.Equal(
            """{"jsonrpc":"2.0","error":{"code":-1,"message":"Missing subscription parameter with subscription id","data":null},"id":2}""",
            await AskAsync("""{"jsonrpc":"2.0","method":"unsubscribeReceive","id":2}"""));
        Assert.Equal("""{"jsonrpc":"2.0","result":{},"id":3}""", await AskAsync("""{"jsonrpc":"2.0","method":"unsubscribeReceive","params":{"subscription":0},"id":3}"""));
    }

    [Fact]
    public async Task A_subscription_naming_an_account_carries_only_that_accounts_messages()
    {
        var id = (int)JsonLine.Parse(await AskAsync($$"""{"jsonrpc":"2.0","method":"subscribeReceive","params":{"account":"{{First}}"},"id":1}"""))["result"]!;
        second.Deliver(Text("not for this subscription", 2));
        first.Deliver(Text("for it", 1));

        var notification = await output.NextObjectAsync();
        Assert.Equal(id, (int)notification["params"]!["subscription"]!);
        Assert.Equal(First, (string)notification["params"]!["result"]!["account"]!);
        Assert.Equal("for it", (string)notification["params"]!["result"]!["envelope"]!["dataMessage"]!["message"]!);
        Assert.Empty(second.Confirmed);
    }

    private static ServedAccount Served(FakeAccount account, string number) =>
        new(account, new JsonRpcOptions(number, ReceiveMode.Manual) { SubscriptionPollTimeout = TimeSpan.FromSeconds(5) });

    private static ReceivedMessage Text(string body, long timestamp) =>
        new(timestamp, FakeAccount.KnownNumber, body, [], new Aci(FakeAccount.KnownAci));

    private async Task<string?> AskAsync(string line)
    {
        await connection.ProcessLineAsync(Encoding.UTF8.GetBytes(line), CancellationToken.None);
        return output.TryTake(out var answer) ? answer : null;
    }
}
