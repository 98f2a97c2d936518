using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.Commands;

/// <summary>A command with several faults gets the code of the first check in the spec's order.</summary>
public sealed class ValidationOrderTests : ConnectedDaemonTest
{
    [Theory]
    // command (1) before everything
    [InlineData(1, """{"command":"nope","dataMessage":{"attachments":[{"base64Data":"!"}]}}""")]
    // exactly one of recipient and groupId (5) before the number's form (2) and the content (9)
    [InlineData(5, """{"command":"send_message","recipient":"bad","groupId":"bad"}""")]
    // the number's form (2) before the content (9)
    [InlineData(2, """{"command":"send_message","recipient":"bad"}""")]
    // the group id's form (6) before the content (9)
    [InlineData(6, """{"command":"send_message","groupId":"AQID"}""")]
    // the content (9) before attachment data (3): an empty list is no content
    [InlineData(9, """{"command":"send_message","recipient":"+4366412345678","dataMessage":{"attachments":[]}}""")]
    // attachment data (3) before the account (2 for an unknown number)
    [InlineData(3, """{"command":"send_message","recipient":"+4366400000000","dataMessage":{"message":"x","attachments":[{"base64Data":"!"}]}}""")]
    // attachment data (3) before the account (6 for an unknown group)
    [InlineData(3, """{"command":"send_message","groupId":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","dataMessage":{"attachments":[{"base64Data":"!"}]}}""")]
    // the reaction's fields (11) before the author's form (2)
    [InlineData(11, """{"command":"send_reaction","recipient":"+4366412345678","reaction":{"emoji":"x","author":"bad"}}""")]
    // the reaction (11) before the account (2 for an unknown recipient)
    [InlineData(11, """{"command":"send_reaction","recipient":"+4366400000000","reaction":{"author":"+4366412345678","timestamp":1}}""")]
    // the author's form (2) before the account (6)
    [InlineData(2, """{"command":"send_reaction","groupId":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","reaction":{"emoji":"x","author":"bad","timestamp":1}}""")]
    public async Task The_first_failing_check_decides(int expected, string request)
    {
        HasStatus(expected, await Client.RoundTripAsync(request));
        Assert.Empty(Daemon.Account.SentMessages);
        Assert.Empty(Daemon.Account.SentReactions);
    }
}
