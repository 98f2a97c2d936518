using System.Text;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

public sealed class SendTests
{
    [Fact]
    public async Task Send_to_a_number_answers_timestamp_and_a_success_result_for_the_recipient()
    {
        await using var harness = new Harness();
        var answer = await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"send","params":{"recipients":["+4366412345678"],"message":"hi"},"id":1}""");

        var (target, message) = Assert.Single(harness.Fake.SentMessages);
        Assert.Equal(FakeAccount.KnownNumber, Assert.IsType<RecipientTarget>(target).Recipient.Value);
        Assert.Equal("hi", message.Text);
        var timestamp = (long)JsonLine.Parse(answer)["result"]!["timestamp"]!;
        Assert.Equal(
            $$"""{"jsonrpc":"2.0","result":{"timestamp":{{timestamp}},"results":[{"recipientAddress":{"uuid":null,"number":"+4366412345678"},"type":"SUCCESS"}]},"id":1}""",
            answer);
    }

    [Fact]
    public async Task Send_by_service_id_reports_the_uuid()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"send","params":{"recipient":"{{FakeAccount.KnownAci}}","message":"hi"},"id":1}"""));
        var address = answer["result"]!["results"]![0]!["recipientAddress"]!;
        Assert.Equal(FakeAccount.KnownAci.ToString(), (string)address["uuid"]!);
        Assert.Null(address["number"]);
    }

    [Fact]
    public async Task When_nobody_was_reached_the_send_fails_with_the_results_in_the_errors_data()
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"send","params":{"recipient":"{{FakeAccount.UnknownNumber}}","message":"hi"},"id":1}"""))["error"]!;
        Assert.Equal(-1, (int)error["code"]!);
        Assert.Equal("Failed to send message", (string)error["message"]!);
        var result = Assert.Single(error["data"]!["response"]!["results"]!.AsArray())!;
        Assert.Equal("UNREGISTERED_FAILURE", (string)result["type"]!);
        Assert.Equal(FakeAccount.UnknownNumber, (string)result["recipientAddress"]!["number"]!);
        Assert.Empty(harness.Fake.SentMessages);
    }

    [Fact]
    public async Task Several_recipients_get_one_message_with_one_timestamp_and_a_result_each()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"send","params":{"recipient":["{{FakeAccount.KnownNumber}}","{{FakeAccount.UnknownNumber}}","{{FakeAccount.KnownAci}}"],"message":"hi"},"id":1}"""));
        var results = answer["result"]!["results"]!.AsArray();
        Assert.Equal(["SUCCESS", "UNREGISTERED_FAILURE", "SUCCESS"], results.Select(r => (string)r!["type"]!));
        Assert.Equal([FakeAccount.KnownNumber, FakeAccount.UnknownNumber, null], results.Select(r => (string?)r!["recipientAddress"]!["number"]));
        Assert.Equal(FakeAccount.KnownAci.ToString(), (string)results[2]!["recipientAddress"]!["uuid"]!);
        Assert.Equal(2, harness.Fake.SentMessages.Count);
        var stamps = harness.Fake.SentMessages.Select(m => m.Message.Timestamp).Distinct().ToList();
        Assert.NotNull(Assert.Single(stamps));
    }

    [Fact]
    public async Task A_send_to_a_group_and_a_recipient_lists_the_members_results_with_the_group_id()
    {
        await using var harness = new Harness();
        harness.Fake.GroupResults = [new RecipientSendResult(FakeAccount.KnownNumber, new Aci(FakeAccount.KnownAci), Success: false, "untrusted", UntrustedIdentity: true)];
        var answer = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"send","params":{"groupId":"{{FakeAccount.MemberGroup.ToBase64()}}","recipients":"{{FakeAccount.KnownNumber}}","message":"hi"},"id":1}"""));
        var results = answer["result"]!["results"]!.AsArray();
        Assert.Equal(2, results.Count);
        var direct = results.Single(r => r!["groupId"] is null)!;
        Assert.Equal("SUCCESS", (string)direct["type"]!);
        var member = results.Single(r => r!["groupId"] is not null)!;
        Assert.Equal(FakeAccount.MemberGroup.ToBase64(), (string)member["groupId"]!);
        Assert.Equal("IDENTITY_FAILURE", (string)member["type"]!);
        Assert.Equal(FakeAccount.KnownAci.ToString(), (string)member["recipientAddress"]!["uuid"]!);
    }

    [Fact]
    public async Task A_group_send_goes_to_the_group()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"send","params":{"group-id":"{{FakeAccount.MemberGroup.ToBase64()}}","message":"all"},"id":1}"""));
        Assert.True(answer.ContainsKey("result"));
        var (target, _) = Assert.Single(harness.Fake.SentMessages);
        Assert.Equal(FakeAccount.MemberGroup, Assert.IsType<GroupTarget>(target).GroupId);
    }

    [Theory]
    [InlineData("""{"message":"hi"}""", "No recipients given")]
    [InlineData("""{"recipient":"+4366412345678"}""", "No message given")]
    [InlineData("""{"recipient":"not-a-number","message":"hi"}""", "Invalid recipient 'not-a-number'")]
    [InlineData("""{"groupId":"abc","message":"hi"}""", "Invalid group id: abc")]
    [InlineData("""{"recipient":"+4366412345678","message":"hi","quoteTimestamp":5}""", "quoteAuthor is required")]
    [InlineData("""{"recipient":"+4366412345678","message":"hi","sticker":"xyz:1"}""", "Invalid sticker syntax (xyz:1) expected 'stickerPackId:stickerId'")]
    [InlineData("""{"recipient":"+4366412345678","sticker":"0ff:1"}""", "Invalid sticker syntax")]
    [InlineData("""{"recipient":"+4366412345678","sticker":"00ff:-1"}""", "Invalid sticker syntax")]
    [InlineData("""{"recipient":"+4366412345678","message":"hi","mention":"0:3:+4366412345678"}""", "Invalid mention syntax")]
    [InlineData("""{"recipient":"+4366412345678","message":"hi","textStyle":"0:1:LOUD"}""", "Invalid style: LOUD")]
    public async Task Bad_send_requests_are_user_errors(string parameters, string expected)
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"send","params":{{parameters}},"id":1}"""))["error"]!;
        Assert.Equal(-1, (int)error["code"]!);
        Assert.Contains(expected, (string)error["message"]!, StringComparison.Ordinal);
        Assert.Empty(harness.Fake.SentMessages);
    }

    [Fact]
    public async Task An_unknown_group_is_a_user_error()
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"send","params":{"groupId":"{{FakeAccount.UnknownGroup.ToBase64()}}","message":"x"},"id":1}"""))["error"]!;
        Assert.Equal(-1, (int)error["code"]!);
        Assert.StartsWith("Failed to send to group", (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_account_failure_is_an_internal_error_with_its_message()
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync(
            $$"""{"jsonrpc":"2.0","method":"send","params":{"recipient":"{{FakeAccount.FailingNumber}}","message":"x"},"id":1}"""))["error"]!;
        Assert.Equal(-32603, (int)error["code"]!);
        Assert.Equal("the server is unreachable", (string)error["message"]!);
    }

    [Fact]
    public async Task Attachments_come_as_data_uris_or_paths()
    {
        var path = Path.Combine(Path.GetTempPath(), $"jsonrpc-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "from disk");
        try
        {
            await using var harness = new Harness();
            var uri = "data:text/plain;filename=note.txt;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes("inline"));
            await harness.AskAsync(
                $$"""{"jsonrpc":"2.0","method":"send","params":{"recipient":"+4366412345678","attachments":["{{uri}}","{{path}}"]},"id":1}""");

            var (_, message) = Assert.Single(harness.Fake.SentMessages);
            Assert.Null(message.Text);
            Assert.Equal(2, message.Attachments.Count);
            Assert.Equal("inline", Encoding.UTF8.GetString(message.Attachments[0].Data.Span));
            Assert.Equal("note.txt", message.Attachments[0].FileName);
            Assert.Equal("text/plain", message.Attachments[0].ContentType);
            Assert.Equal("from disk", Encoding.UTF8.GetString(message.Attachments[1].Data.Span));
            Assert.Equal(Path.GetFileName(path), message.Attachments[1].FileName);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_attachment_file_is_a_user_error()
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"send","params":{"recipient":"+4366412345678","attachment":"/nonexistent/file.bin"},"id":1}"""))["error"]!;
        Assert.Equal(-1, (int)error["code"]!);
        Assert.Empty(harness.Fake.SentMessages);
    }

    [Fact]
    public async Task SendReaction_takes_dashed_or_camel_names()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"sendReaction","params":{"recipient":["+4366412345678"],"emoji":"👍","target-author":"+4366412345678","targetTimestamp":1700000000000,"remove":true},"id":1}"""));
        Assert.Equal("SUCCESS", (string)answer["result"]!["results"]![0]!["type"]!);
        var (_, reaction) = Assert.Single(harness.Fake.SentReactions);
        Assert.Equal(new OutgoingReaction("👍", RecipientAddress.PhoneNumber(FakeAccount.KnownNumber), 1_700_000_000_000, true), reaction with { Timestamp = null });
        Assert.NotNull(reaction.Timestamp);
    }

    [Fact]
    public async Task SendReaction_without_an_emoji_is_invalid_params()
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"sendReaction","params":{"recipient":"+4366412345678","targetAuthor":"+4366412345678","targetTimestamp":1},"id":1}"""))["error"]!;
        Assert.Equal(-32602, (int)error["code"]!);
    }
}
