using SignalSharp.Account.Api;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.Commands;

/// <summary>Every row of the status table, each with the trigger that produces it.</summary>
public sealed class StatusCodeTests : ConnectedDaemonTest
{
    private const string Known = FakeAccount.KnownNumber;
    private static readonly string Member = FakeAccount.MemberGroup.ToBase64();
    [Fact]
    public async Task Unknown_minus1_when_the_account_fails_otherwise()
    {
        var response = await Client.RoundTripAsync($$$"""{"command":"send_message","reqId":"a","recipient":"{{{FakeAccount.FailingNumber}}}","dataMessage":{"message":"hi"}}""");
        HasStatus(-1, response);
        Assert.Equal("the server is unreachable", response.GetProperty("errorMessage").GetString());
        Assert.Equal("send_message", response.GetProperty("command").GetString());
        Assert.Equal("a", response.GetProperty("reqId").GetString());
    }

    [Fact]
    public async Task Unknown_minus1_when_the_account_times_out_and_the_connection_goes_on()
    {
        var response = await Client.RoundTripAsync($$$"""{"command":"send_message","reqId":"t","recipient":"{{{FakeAccount.TimingOutNumber}}}","dataMessage":{"message":"hi"}}""");
        HasStatus(-1, response);
        Assert.Equal("the request timed out", response.GetProperty("errorMessage").GetString());
        HasStatus(0, await Client.RoundTripAsync("{command:'receive_messages',timeout:0}"));
    }

    [Fact]
    public async Task Success_0_for_send_message_with_text_and_attachment()
    {
        var response = await Client.RoundTripAsync($$$"""{"command":"send_message","reqId":"1","recipient":"{{{Known}}}","dataMessage":{"message":"hi","attachments":[{"base64Data":"aGVsbG8=","filename":"a.txt"}]}}""");
        HasStatus(0, response);
        Assert.Equal("send_message", response.GetProperty("command").GetString());
        Assert.Equal("1", response.GetProperty("reqId").GetString());
        Assert.True(response.GetProperty("timestamp").GetInt64() > 1_700_000_000_000);
        Assert.True(Daemon.Account.SentMessages.TryDequeue(out var sent));
        Assert.Equal(new RecipientTarget(RecipientAddress.PhoneNumber(Known)), sent.Target);
        Assert.Equal("hi", sent.Message.Text);
        var attachment = Assert.Single(sent.Message.Attachments);
        Assert.Equal("hello"u8.ToArray(), attachment.Data.ToArray());
        Assert.Equal("a.txt", attachment.FileName);
    }

    [Fact]
    public async Task Success_0_for_an_empty_attachment_it_is_a_file_of_0_bytes()
    {
        HasStatus(0, await Client.RoundTripAsync($$$"""{"command":"send_message","recipient":"{{{Known}}}","dataMessage":{"attachments":[{"base64Data":"","filename":"empty.txt"}]}}"""));
        Assert.True(Daemon.Account.SentMessages.TryDequeue(out var sent));
        var attachment = Assert.Single(sent.Message.Attachments);
        Assert.Equal(0, attachment.Data.Length);
        Assert.Equal("empty.txt", attachment.FileName);
        Assert.Null(sent.Message.Text);
    }

    [Fact]
    public async Task Success_0_for_send_message_to_a_group_and_to_a_service_id()
    {
        HasStatus(0, await Client.RoundTripAsync($$$"""{"command":"send_message","groupId":"{{{Member}}}","dataMessage":{"message":"to the group"}}"""));
        HasStatus(0, await Client.RoundTripAsync($$$"""{"command":"send_message","recipient":"{{{FakeAccount.KnownAci.ToString().ToUpperInvariant()}}}","dataMessage":{"message":"by aci"}}"""));
        Assert.True(Daemon.Account.SentMessages.TryDequeue(out var first));
        Assert.Equal(new GroupTarget(FakeAccount.MemberGroup), first.Target);
        Assert.True(Daemon.Account.SentMessages.TryDequeue(out var second));
        Assert.Equal(new RecipientTarget(RecipientAddress.Aci(new Aci(FakeAccount.KnownAci))), second.Target);
    }

    [Fact]
    public async Task Success_0_for_send_reaction_names_the_reacted_message()
    {
        var sent = await Client.RoundTripAsync($$$"""{"command":"send_message","recipient":"{{{Known}}}","dataMessage":{"message":"hi"}}""");
        var timestamp = sent.GetProperty("timestamp").GetInt64();
        var response = await Client.RoundTripAsync($$$"""{"command":"send_reaction","reqId":7,"recipient":"{{{Known}}}","reaction":{"emoji":"👍","author":"{{{Known}}}","remove":true,"timestamp":{{{timestamp}}}}}""");
        HasStatus(0, response);
        Assert.Equal("send_reaction", response.GetProperty("command").GetString());
        Assert.Equal(7, response.GetProperty("reqId").GetInt32());
        Assert.True(Daemon.Account.SentReactions.TryDequeue(out var reaction));
        Assert.Equal(new OutgoingReaction("👍", RecipientAddress.PhoneNumber(Known), timestamp, true), reaction.Reaction);
    }

    [Fact]
    public async Task Success_0_for_receive_messages_lists_messages_and_failures_8_9_10()
    {
        Daemon.Account.Deliver(
            new ReceivedMessage(1732530000000, Known, "hi", [new ReceivedAttachment("hello"u8.ToArray(), "a.txt", "text/plain", 5)]),
            new ReceiveFailure(ReceiveFailureKind.MessageError, "cannot decrypt"),
            new ReceiveFailure(ReceiveFailureKind.MissingContent, "no content"),
            new ReceiveFailure(ReceiveFailureKind.ParsingError, "bad protobuf"));
        var response = await Client.RoundTripAsync("""{"command":"receive_messages","reqId":"r","timeout":1000}""");
        HasStatus(0, response);
        Assert.Equal("receive_messages", response.GetProperty("command").GetString());
        var messages = response.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(4, messages.Length);
        Assert.Equal(1732530000000, messages[0].GetProperty("timestamp").GetInt64());
        Assert.Equal(Known, messages[0].GetProperty("sender").GetString());
        Assert.Equal("hi", messages[0].GetProperty("body").GetString());
        var attachment = Assert.Single(messages[0].GetProperty("attachments").EnumerateArray());
        Assert.Equal("aGVsbG8=", attachment.GetProperty("base64Data").GetString());
        Assert.Equal("a.txt", attachment.GetProperty("filename").GetString());
        HasStatus(8, messages[1]);
        HasStatus(9, messages[2]);
        HasStatus(10, messages[3]);
        Assert.Equal("cannot decrypt", messages[1].GetProperty("errorMessage").GetString());
    }

    [Theory]
    [InlineData("""{"reqId":1}""")]
    [InlineData("""{"command":null}""")]
    [InlineData("""{"command":"send_messages"}""")]
    [InlineData("""{"command":42}""")]
    [InlineData("""{"command":"","recipient":"nonsense"}""")]
    public async Task UnknownCommand_1(string request) => HasStatus(1, await Client.RoundTripAsync(request));

    [Theory]
    [InlineData("""{"command":"send_message","recipient":"4366412345678","dataMessage":{"message":"x"}}""")]
    [InlineData("""{"command":"send_message","recipient":"+436","dataMessage":{"message":"x"}}""")]
    [InlineData("""{"command":"send_message","recipient":"+1234567890123456","dataMessage":{"message":"x"}}""")]
    [InlineData("""{"command":"send_message","recipient":"+43 664 123","dataMessage":{"message":"x"}}""")]
    [InlineData("""{"command":"send_message","recipient":4366412345678,"dataMessage":{"message":"x"}}""")]
    [InlineData("""{"command":"send_message","recipient":"0c9d2f6e-1111-4222-8333","dataMessage":{"message":"x"}}""")]
    [InlineData("""{"command":"send_message","recipient":"+4366400000000","dataMessage":{"message":"x"}}""")]
    [InlineData("""{"command":"send_reaction","recipient":"+4366412345678","reaction":{"emoji":"x","author":"me","timestamp":5}}""")]
    [InlineData("""{"command":"send_reaction","recipient":"+4366412345678","reaction":{"emoji":"x","author":"+4366400000000","timestamp":5}}""")]
    public async Task InvalidNumber_2_for_a_malformed_or_unreachable_number(string request) =>
        HasStatus(2, await Client.RoundTripAsync(request));

    [Theory]
    [InlineData("""[{"base64Data":"not base64!"}]""")]
    [InlineData("""[{"base64Data":"aGVsbG8"}]""")]
    [InlineData("""[{"filename":"a.txt"}]""")]
    [InlineData("""["aGVsbG8="]""")]
    [InlineData("""{"base64Data":"aGVsbG8="}""")]
    [InlineData("""[{"base64Data":"aGVsbG8=","filename":3}]""")]
    public async Task InvalidAttachment_3(string attachments) =>
        HasStatus(3, await Client.RoundTripAsync($$$"""{"command":"send_message","recipient":"{{{Known}}}","dataMessage":{"attachments":{{{attachments}}}}}"""));

    [Theory]
    [InlineData("hello")]
    [InlineData("[1,2]")]
    [InlineData("\"a string\"")]
    [InlineData("{\"command\":tru}")]
    [InlineData("{\"command\":\"send_message\",\"recipient\":\"\\x\"}")]
    public async Task InvalidJson_4(string input)
    {
        var response = await Client.RoundTripAsync(input);
        HasStatus(4, response);
        Assert.False(response.TryGetProperty("command", out _));
        Assert.False(response.TryGetProperty("reqId", out _));
    }

    [Theory]
    [InlineData("""{"command":"send_message","dataMessage":{"message":"x"}}""")]
    [InlineData("""{"command":"send_message","recipient":null,"groupId":null,"dataMessage":{"message":"x"}}""")]
    [InlineData("""{"command":"send_message","recipient":"+4366412345678","groupId":"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=","dataMessage":{"message":"x"}}""")]
    [InlineData("""{"command":"send_reaction","reaction":{"emoji":"x","author":"+4366412345678","timestamp":5}}""")]
    public async Task InvalidRecipient_5_for_none_or_both(string request) => HasStatus(5, await Client.RoundTripAsync(request));

    [Theory]
    [InlineData("\"AQID\"")]
    [InlineData("\"not base64\"")]
    [InlineData("\"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAh\"")]
    [InlineData("12")]
    [InlineData("\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"")]
    public async Task GroupNotFound_6_for_a_malformed_or_unknown_group(string groupId) =>
        HasStatus(6, await Client.RoundTripAsync($$$"""{"command":"send_message","groupId":{{{groupId}}},"dataMessage":{"message":"x"}}"""));

    [Fact]
    public async Task NotAGroupMember_7()
    {
        var request = $$$"""{"command":"send_message","groupId":"{{{FakeAccount.FormerGroup.ToBase64()}}}","dataMessage":{"message":"x"}}""";
        HasStatus(7, await Client.RoundTripAsync(request));
    }

    [Theory]
    [InlineData("""{"command":"send_message","recipient":"+4366412345678"}""")]
    [InlineData("""{"command":"send_message","recipient":"+4366412345678","dataMessage":{}}""")]
    [InlineData("""{"command":"send_message","recipient":"+4366412345678","dataMessage":{"message":"","attachments":[]}}""")]
    [InlineData("""{"command":"send_message","recipient":"+4366412345678","dataMessage":{"message":null}}""")]
    public async Task MissingMessageContent_9_for_nothing_to_send(string request) => HasStatus(9, await Client.RoundTripAsync(request));

    [Theory]
    [InlineData("""{"command":"send_reaction","recipient":"+4366412345678"}""")]
    [InlineData("""{"command":"send_reaction","recipient":"+4366412345678","reaction":"👍"}""")]
    [InlineData("""{"command":"send_reaction","recipient":"+4366412345678","reaction":{"author":"+4366412345678","timestamp":5}}""")]
    [InlineData("""{"command":"send_reaction","recipient":"+4366412345678","reaction":{"emoji":"","author":"+4366412345678","timestamp":5}}""")]
    [InlineData("""{"command":"send_reaction","recipient":"+4366412345678","reaction":{"emoji":"👍","timestamp":5}}""")]
    [InlineData("""{"command":"send_reaction","recipient":"+4366412345678","reaction":{"emoji":"👍","author":"+4366412345678"}}""")]
    [InlineData("""{"command":"send_reaction","recipient":"+4366412345678","reaction":{"emoji":"👍","author":"+4366412345678","timestamp":"yesterday"}}""")]
    [InlineData("""{"command":"send_reaction","recipient":"+4366412345678","reaction":{"emoji":"👍","author":"+4366412345678","timestamp":-3}}""")]
    public async Task MissingReaction_11(string request) => HasStatus(11, await Client.RoundTripAsync(request));

    [Theory]
    [InlineData("""{"command":"receive_messages","timeout":"1000"}""")]
    [InlineData("""{"command":"receive_messages","timeout":-1}""")]
    [InlineData("""{"command":"receive_messages","timeout":0,"ignoreAttachments":"yes"}""")]
    [InlineData("""{"command":"send_message","recipient":"+4366412345678","dataMessage":{"message":5}}""")]
    [InlineData("""{"command":"send_message","recipient":"+4366412345678","dataMessage":"hi"}""")]
    [InlineData("""{"command":"send_reaction","recipient":"+4366412345678","reaction":{"emoji":"👍","author":"+4366412345678","timestamp":5,"remove":"no"}}""")]
    public async Task Unknown_minus1_for_a_field_of_the_wrong_type_without_a_code_of_its_own(string request) =>
        HasStatus(-1, await Client.RoundTripAsync(request));
}
