using SignalSharp.Account.Api;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.Json;

public sealed class EchoTests : ConnectedDaemonTest
{
    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("42")]
    [InlineData("-1.50")]
    [InlineData("1e400")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("[1,\"two\",{\"three\":3}]")]
    [InlineData("{\"nested\":{\"id\":[]}}")]
    [InlineData("\"\\u00e9\\n\\\"\"")]
    public async Task ReqId_is_echoed_unchanged_whatever_its_type(string reqId)
    {
        var success = await Client.RoundTripAsync($$$"""{"command":"receive_messages","timeout":0,"reqId":{{{reqId}}}}""");
        HasStatus(0, success);
        AssertSameJson(reqId, success.GetProperty("reqId").GetRawText());

        var failure = await Client.RoundTripAsync($$$"""{"reqId":{{{reqId}}},"command":"send_message"}""");
        HasStatus(5, failure);
        AssertSameJson(reqId, failure.GetProperty("reqId").GetRawText());
    }

    [Fact]
    public async Task No_reqId_no_echo()
    {
        var response = await Client.RoundTripAsync("""{"command":"receive_messages","timeout":0}""");
        Assert.False(response.TryGetProperty("reqId", out _));
    }

    [Fact]
    public async Task Numbers_keep_their_exact_text()
    {
        var line = await RawRoundTripAsync("""{"command":"receive_messages","timeout":0,"reqId":12345678901234567890123}""");
        Assert.Contains("\"reqId\":12345678901234567890123", line);
    }

    [Fact]
    public async Task Emoji_round_trip_as_plain_UTF8_in_text_and_reactions()
    {
        const string text = "Grüße 😀👍🏽 👨‍👩‍👧 𝄞 中文";
        HasStatus(0, await Client.RoundTripAsync($$$"""{"command":"send_message","recipient":"+4366412345678","dataMessage":{"message":"{{{text}}}"}}"""));
        Assert.True(Daemon.Account.SentMessages.TryDequeue(out var sent));
        Assert.Equal(text, sent.Message.Text);

        HasStatus(0, await Client.RoundTripAsync("""{"command":"send_reaction","recipient":"+4366412345678","reaction":{"emoji":"👍🏽","author":"+4366412345678","timestamp":1}}"""));
        Assert.True(Daemon.Account.SentReactions.TryDequeue(out var reaction));
        Assert.Equal("👍🏽", reaction.Reaction.Emoji);

        Daemon.Account.Deliver(new ReceivedMessage(2, "+4366412345678", text, [],
            Reaction: new ReceivedReaction("😀", "+4366412345678", 1, false)));
        var line = await RawRoundTripAsync("""{"command":"receive_messages","timeout":1000}""");
        // Plain UTF-8, not \uD83D\uDE00 escapes.
        Assert.Contains(text, line);
        Assert.Contains("\"emoji\":\"😀\"", line);
        Assert.DoesNotContain("\\u", line);
    }

    [Fact]
    public async Task Control_characters_and_quotes_in_text_are_escaped_on_one_line()
    {
        Daemon.Account.Deliver(new ReceivedMessage(3, "+4366412345678", "line1\nline2\t\"quoted\" \\ \u0001", []));
        var line = await RawRoundTripAsync("""{"command":"receive_messages","timeout":1000}""");
        Assert.DoesNotContain('\n', line);
        using var document = System.Text.Json.JsonDocument.Parse(line);
        Assert.Equal("line1\nline2\t\"quoted\" \\ \u0001", document.RootElement.GetProperty("messages")[0].GetProperty("body").GetString());
    }

    [Fact]
    public async Task Broken_UTF16_from_the_account_still_gives_one_valid_line()
    {
        Daemon.Account.Deliver(new ReceivedMessage(5, "+4366412345678", "lone \uD800 surrogate", []));
        var line = await RawRoundTripAsync("""{"command":"receive_messages","timeout":1000}""");
        using var document = System.Text.Json.JsonDocument.Parse(line);
        HasStatus(0, document.RootElement);
        Assert.StartsWith("lone ", document.RootElement.GetProperty("messages")[0].GetProperty("body").GetString());
        HasStatus(0, await Client.RoundTripAsync("{command:'receive_messages',timeout:0}"));
    }

    [Fact]
    public async Task IgnoreAttachments_leaves_the_data_out()
    {
        Daemon.Account.Deliver(new ReceivedMessage(4, "+4366412345678", null, [new ReceivedAttachment("hello"u8.ToArray(), "a.txt", null, 5)]));
        var response = await Client.RoundTripAsync("""{"command":"receive_messages","timeout":1000,"ignoreAttachments":true}""");
        var attachment = response.GetProperty("messages")[0].GetProperty("attachments")[0];
        Assert.False(attachment.TryGetProperty("base64Data", out _));
        Assert.Equal("a.txt", attachment.GetProperty("filename").GetString());
    }

    private async Task<string> RawRoundTripAsync(string command)
    {
        await Client.SendAsync(command + "\n");
        return await Client.ReadLineAsync() ?? throw new InvalidOperationException("no response");
    }

    private static void AssertSameJson(string expected, string actual)
    {
        using var e = System.Text.Json.JsonDocument.Parse(expected);
        using var a = System.Text.Json.JsonDocument.Parse(actual);
        Assert.True(System.Text.Json.JsonElement.DeepEquals(e.RootElement, a.RootElement), $"expected {expected}, got {actual}");
    }
}
