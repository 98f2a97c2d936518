using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Protocol;

/// <summary>Framing and error answers, compared byte for byte with what signal-cli writes.</summary>
public sealed class CodecTests
{
    [Fact]
    public async Task A_request_without_method_gets_the_man_pages_answer()
    {
        // signal-cli-jsonrpc(5) prints exactly this line for {"jsonrpc":"2.0"}.
        await using var harness = new Harness();
        Assert.Equal(
            """{"jsonrpc":"2.0","error":{"code":-32600,"message":"method field must be set","data":null},"id":null}""",
            await harness.AskAsync("""{"jsonrpc":"2.0"}"""));
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("42")]
    [InlineData("-7")]
    [InlineData("12345678901234567890")]
    [InlineData("1.5e3")]
    [InlineData("null")]
    [InlineData("true")]
    public async Task Any_id_is_echoed_unchanged(string id)
    {
        await using var harness = new Harness();
        Assert.Equal(
            $$"""{"jsonrpc":"2.0","result":{"version":"0.13.19"},"id":{{id}}}""",
            await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"version","id":{{id}}}"""));
    }

    [Fact]
    public async Task A_notification_gets_no_answer_even_when_it_fails()
    {
        await using var harness = new Harness();
        Assert.Null(await harness.AskAsync("""{"jsonrpc":"2.0","method":"version"}"""));
        Assert.Null(await harness.AskAsync("""{"jsonrpc":"2.0","method":"noSuchMethod"}"""));
        Assert.Null(await harness.AskAsync("""{"jsonrpc":"2.0","method":"send","params":{"recipient":"+4366412345678","message":"hi"}}"""));
        Assert.Single(harness.Fake.SentMessages);
    }

    [Theory]
    [InlineData("", -32700, "Empty input line")]
    [InlineData("   ", -32700, "Empty input line")]
    [InlineData("[]", -32600, "invalid request")]
    [InlineData("5", -32600, "unexpected type: NUMBER")]
    [InlineData("\"x\"", -32600, "unexpected type: STRING")]
    [InlineData("null", -32600, "unexpected type: NULL")]
    public async Task Lines_that_are_no_request_get_signal_clis_errors(string line, int code, string message)
    {
        await using var harness = new Harness();
        Assert.Equal(
            $$"""{"jsonrpc":"2.0","error":{"code":{{code}},"message":"{{message}}","data":null},"id":null}""",
            await harness.AskAsync(line));
    }

    [Theory]
    [InlineData("{\"method\":\"version\"")]
    [InlineData("{method:'version'}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    public async Task Malformed_json_is_a_parse_error_with_a_null_id(string line)
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync(line));
        Assert.Equal(-32700, (int)answer["error"]!["code"]!);
        Assert.True(answer.ContainsKey("id"));
        Assert.Null(answer["id"]);
    }

    [Fact]
    public async Task A_wrong_version_is_refused_with_the_requests_id()
    {
        await using var harness = new Harness();
        Assert.Equal(
            """{"jsonrpc":"2.0","error":{"code":-32600,"message":"only jsonrpc version 2.0 is supported","data":null},"id":7}""",
            await harness.AskAsync("""{"method":"version","id":7}"""));
    }

    [Fact]
    public async Task Null_params_count_as_absent()
    {
        await using var harness = new Harness();
        Assert.Equal(
            """{"jsonrpc":"2.0","result":{"version":"0.13.19"},"id":1}""",
            await harness.AskAsync("""{"jsonrpc":"2.0","method":"version","params":null,"id":1}"""));
    }

    [Fact]
    public async Task An_unknown_method_is_not_implemented_and_a_signal_cli_method_we_lack_is_named()
    {
        await using var harness = new Harness();
        Assert.Equal(
            """{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not implemented","data":null},"id":1}""",
            await harness.AskAsync("""{"jsonrpc":"2.0","method":"frobnicate","id":1}"""));
        var lacking = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"sendStory","params":{"recipient":"+4366412345678"},"id":2}"""));
        Assert.Equal(-32601, (int)lacking["error"]!["code"]!);
        Assert.Contains("sendStory", (string)lacking["error"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_object_from_the_client_is_dropped()
    {
        await using var harness = new Harness();
        Assert.Null(await harness.AskAsync("""{"jsonrpc":"2.0","result":{},"id":1}"""));
    }

    [Fact]
    public async Task A_batch_answers_its_requests_in_one_array_and_skips_its_notifications()
    {
        await using var harness = new Harness();
        var answer = await harness.AskAsync(
            """[{"jsonrpc":"2.0","method":"version","id":"a"},{"jsonrpc":"2.0","method":"version"},{"jsonrpc":"2.0","id":"b"},5]""");
        Assert.Equal(
            """[{"jsonrpc":"2.0","result":{"version":"0.13.19"},"id":"a"},""" +
            """{"jsonrpc":"2.0","error":{"code":-32600,"message":"method field must be set","data":null},"id":"b"},""" +
            """{"jsonrpc":"2.0","error":{"code":-32600,"message":"invalid request","data":null},"id":null}]""",
            answer);
    }

    [Fact]
    public async Task A_batch_of_notifications_gets_no_answer()
    {
        await using var harness = new Harness();
        Assert.Null(await harness.AskAsync("""[{"jsonrpc":"2.0","method":"version"},{"jsonrpc":"2.0","method":"version"}]"""));
    }

    [Fact]
    public async Task Requests_run_concurrently_and_answers_are_matched_by_id()
    {
        await using var harness = new Harness();
        var hold = new TaskCompletionSource();
        harness.Fake.SendGate = hold.Task;
        var slow = harness.Connection.ProcessLineAsync(
            """{"jsonrpc":"2.0","method":"send","params":{"recipient":"+4366412345678","message":"slow"},"id":"slow"}"""u8.ToArray(), CancellationToken.None);
        while (Volatile.Read(ref harness.Fake.SendsStarted) == 0)
        {
            await Task.Yield();
        }

        // The send is held inside the account; a second request still gets its answer first.
        Assert.Equal("""{"jsonrpc":"2.0","result":{"version":"0.13.19"},"id":"fast"}""", await harness.AskAsync("""{"jsonrpc":"2.0","method":"version","id":"fast"}"""));
        hold.SetResult();
        await slow;
        Assert.Equal("slow", (string)JsonLine.Parse(await harness.Output.NextAsync())["id"]!);
    }
}
