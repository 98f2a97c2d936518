using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

/// <summary>signal-cli's send options and the methods that send no text, as they reach the account.</summary>
public sealed class SendExtrasTests
{
    [Fact]
    public async Task Send_takes_quote_mentions_styles_edit_and_view_once_by_signal_clis_names()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync($$"""
            {"jsonrpc":"2.0","method":"send","params":{"recipient":"+4366412345678","message":"👋 @x bold",
             "quoteTimestamp":1732530000000,"quoteAuthor":"{{FakeAccount.KnownAci}}","quoteMessage":"plan",
             "mention":["3:2:+4366412345678"],"textStyle":["6:4:BOLD","0:2:spoiler"],"editTimestamp":1732530000001,"viewOnce":true},"id":1}
            """.ReplaceLineEndings("")));

        Assert.True(answer.ContainsKey("result"), answer.ToJsonString());
        var (_, message) = Assert.Single(harness.Fake.SentMessages);
        Assert.Equal(new OutgoingQuote(1732530000000, RecipientAddress.Aci(new Aci(FakeAccount.KnownAci)), "plan"), message.Quote);
        var mention = Assert.Single(message.Mentions);
        Assert.Equal((3, 2, FakeAccount.KnownNumber), (mention.Start, mention.Length, mention.Recipient.Value));
        Assert.Equal([new OutgoingTextStyle(6, 4, TextStyle.Bold), new OutgoingTextStyle(0, 2, TextStyle.Spoiler)], message.TextStyles);
        Assert.Equal(1732530000001, message.EditTargetTimestamp);
        Assert.True(message.ViewOnce);
    }

    [Fact]
    public async Task RemoteDelete_sendTyping_sendReceipt_and_updateContact_reach_the_account()
    {
        await using var harness = new Harness();
        var group = FakeAccount.MemberGroup.ToBase64();

        var deleted = JsonLine.Parse(await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"remoteDelete","params":{"recipient":"+4366412345678","targetTimestamp":1732530000005},"id":1}"""));
        var typing = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"sendTyping","params":{"groupId":"{{group}}","stop":true},"id":2}"""));
        var receipt = JsonLine.Parse(await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"sendReceipt","params":{"recipient":"+4366412345678","targetTimestamp":[11,12],"type":"viewed"},"id":3}"""));
        var contact = JsonLine.Parse(await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"updateContact","params":{"recipient":"+4366412345678","expiration":3600},"id":4}"""));

        Assert.Equal("SUCCESS", (string)deleted["result"]!["results"]![0]!["type"]!);
        Assert.NotNull(typing["result"]);
        Assert.True((long)receipt["result"]!["timestamp"]! > 0);
        Assert.NotNull(contact["result"]);
        Assert.Equal(
            [
                $"delete {FakeAccount.KnownNumber} 1732530000005",
                $"typing group:{group} stopped",
                $"receipt {FakeAccount.KnownNumber} Viewed 11,12",
                $"timer {FakeAccount.KnownNumber} 3600",
            ],
            harness.Fake.SentControls);
    }

    [Theory]
    [InlineData("remoteDelete", """{"recipient":"+4366412345678"}""", "targetTimestamp")]
    [InlineData("sendReceipt", """{"recipient":"+4366412345678","targetTimestamp":[1],"type":"delivered"}""", "Unknown receipt type")]
    [InlineData("sendReceipt", """{"recipient":"+4366412345678"}""", "targetTimestamp")]
    [InlineData("updateContact", """{"recipient":"+4366412345678","nickGivenName":"Al"}""", "nickGivenName")]
    public async Task Malformed_requests_are_refused_before_the_account(string method, string parameters, string expected)
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"{{method}}","params":{{parameters}},"id":1}"""))["error"]!;
        Assert.Contains(expected, (string)error["message"]!, StringComparison.Ordinal);
        Assert.Empty(harness.Fake.SentControls);
    }

    [Fact]
    public async Task Poll_methods_take_signal_clis_parameters_and_answer_as_send()
    {
        await using var harness = new Harness();
        var group = FakeAccount.MemberGroup.ToBase64();

        var created = JsonLine.Parse(await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"sendPollCreate","params":{"recipient":"+4366412345678","question":"Lunch?","option":["pizza","salad"],"noMulti":true},"id":1}"""));
        var voted = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"sendPollVote","params":{"groupId":"{{group}}","pollAuthor":"{{FakeAccount.KnownAci}}","pollTimestamp":1732530000000,"option":["1","0"],"voteCount":2},"id":2}"""));
        var closed = JsonLine.Parse(await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"sendPollTerminate","params":{"recipients":["+4366412345678"],"pollTimestamp":1732530000000},"id":3}"""));

        Assert.Equal("SUCCESS", (string)created["result"]!["results"]![0]!["type"]!);
        Assert.True((long)voted["result"]!["timestamp"]! > 0);
        Assert.Equal("SUCCESS", (string)closed["result"]!["results"]![0]!["type"]!);
        var sent = harness.Fake.SentMessages.ToArray();
        Assert.Equal(3, sent.Length);
        var create = Assert.IsType<PollCreation>(sent[0].Message.Poll);
        Assert.Equal(("Lunch?", false), (create.Question, create.AllowMultiple));
        Assert.Equal(["pizza", "salad"], create.Options);
        Assert.Null(sent[0].Message.Text);
        var vote = Assert.IsType<PollVote>(sent[1].Message.Poll);
        Assert.Equal(RecipientAddress.Aci(new Aci(FakeAccount.KnownAci)), vote.Author);
        Assert.Equal((1732530000000, 2), (vote.PollTimestamp, vote.VoteCount));
        Assert.Equal([1, 0], vote.OptionIndexes);
        Assert.IsType<GroupTarget>(sent[1].Target);
        Assert.Equal(1732530000000, Assert.IsType<PollClosing>(sent[2].Message.Poll).PollTimestamp);
    }

    [Theory]
    [InlineData("sendPollCreate", """{"recipient":"+4366412345678","option":["a","b"]}""", "question")]
    [InlineData("sendPollCreate", """{"recipient":"+4366412345678","question":"Q"}""", "option")]
    [InlineData("sendPollVote", """{"recipient":"+4366412345678","pollTimestamp":5,"option":["0"]}""", "pollAuthor")]
    [InlineData("sendPollVote", """{"recipient":"+4366412345678","pollAuthor":"+4366412345678","pollTimestamp":5,"option":["first"]}""", "option")]
    [InlineData("sendPollVote", """{"recipient":"+4366412345678","pollAuthor":"+4366412345678","pollTimestamp":5,"option":["0"],"voteCount":0}""", "voteCount")]
    [InlineData("sendPollTerminate", """{"recipient":"+4366412345678"}""", "pollTimestamp")]
    public async Task Malformed_poll_requests_are_refused_before_the_account(string method, string parameters, string expected)
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"{{method}}","params":{{parameters}},"id":1}"""))["error"]!;
        Assert.Equal(-32602, (int)error["code"]!);
        Assert.Contains(expected, (string)error["message"]!, StringComparison.Ordinal);
        Assert.Empty(harness.Fake.SentMessages);
    }

    [Fact]
    public async Task Send_takes_a_link_preview_by_signal_clis_names()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync("""
            {"jsonrpc":"2.0","method":"send","params":{"recipient":"+4366412345678","message":"see https://signal.org","previewUrl":"https://signal.org",
             "previewTitle":"Signal","previewDescription":"Speak freely","previewImage":"data:image/png;base64,AQID"},"id":1}
            """.ReplaceLineEndings("")));

        Assert.True(answer.ContainsKey("result"), answer.ToJsonString());
        var preview = Assert.IsType<OutgoingPreview>(Assert.Single(harness.Fake.SentMessages).Message.Preview);
        Assert.Equal(("https://signal.org", "Signal", "Speak freely"), (preview.Url, preview.Title, preview.Description));
        Assert.Equal([1, 2, 3], preview.Image!.Data.ToArray());
        Assert.Equal("image/png", preview.Image.ContentType);
    }
}
