using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.Json;

/// <summary>
/// A \u escape that is half of a surrogate pair is valid JSON syntax but no text: the command gets INVALID_JSON
/// once, with command and reqId echoed when they are themselves clean, and the command pipelined after it is answered.
/// </summary>
public sealed class LoneSurrogateTests : ConnectedDaemonTest
{
    private const string Next = """{"command":"receive_messages","reqId":"next","timeout":0}""";

    [Theory]
    [InlineData("""{"command":"\ud800","reqId":"a"}""", null, "a")]
    [InlineData("""{"command":"receive_messages","reqId":"\udc00"}""", "receive_messages", null)]
    [InlineData("""{"command":"receive_messages","reqId":{"id":"x\ud800y"}}""", "receive_messages", null)]
    [InlineData("""{"command":"send_message","reqId":7,"recipient":"+4366412345678","dataMessage":{"message":"\udc00\ud800"}}""", "send_message", "7")]
    [InlineData("""{command:'send\uDBFF',reqId:'b\uDBFF\u0041'}""", null, null)]
    [InlineData("""{"command":"receive_messages","reqId":1,"x\ud800y":{}}""", "receive_messages", "1")]
    public async Task A_lone_surrogate_costs_one_INVALID_JSON_answer_not_the_connection(string command, string? echoedCommand, string? echoedReqId)
    {
        await Client.SendAsync(command + Next + "\n");
        var answer = await Client.ReadResponseAsync();
        HasStatus(4, answer);
        Assert.Equal(echoedCommand, answer.TryGetProperty("command", out var c) ? c.GetString() : null);
        Assert.Equal(echoedReqId, answer.TryGetProperty("reqId", out var r) ? r.ToString() : null);
        var next = await Client.ReadResponseAsync();
        HasStatus(0, next);
        Assert.Equal("\"next\"", ReqId(next));
        Assert.Empty(Daemon.Account.SentMessages);
    }

    [Theory]
    [InlineData("\"\\ud83d\\ude00\"", "😀")]
    [InlineData("\"\\\\ud800\"", "\\ud800")]
    public async Task A_whole_pair_and_an_escaped_backslash_are_no_lone_surrogates(string reqId, string expected)
    {
        var answer = await Client.RoundTripAsync($$$"""{"command":"receive_messages","timeout":0,"reqId":{{{reqId}}}}""");
        HasStatus(0, answer);
        Assert.Equal(expected, answer.GetProperty("reqId").GetString());
    }
}
