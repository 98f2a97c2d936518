using SignalSharp.Account.Api;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.Commands;

/// <summary>
/// The identity extensions over the wire: trust (all known keys or a compared safety number), list_identities, the
/// identity-change item and the untrustedIdentity mark in receive_messages, and a group send's per-member results.
/// </summary>
public sealed class IdentityCommandTests : ConnectedDaemonTest
{
    private const string Known = FakeAccount.KnownNumber;

    [Fact]
    public async Task Trust_with_the_compared_safety_number_answers_the_identity_as_verified()
    {
        var response = await Client.RoundTripAsync($$$"""{command:'trust',reqId:7,recipient:'{{{Known}}}',verifiedSafetyNumber:'12345 12345 12345 12345 12345 12345 12345 12345 12345 12345 12345 12345'}""");
        HasStatus(0, response);
        Assert.Equal("trust", response.GetProperty("command").GetString());
        Assert.Equal(7, response.GetProperty("reqId").GetInt32());
        Assert.Equal(FakeAccount.KnownSafetyNumber, response.GetProperty("safetyNumber").GetString());
        Assert.Equal("TRUSTED_VERIFIED", response.GetProperty("trustLevel").GetString());
        Assert.Equal(IdentityTrust.TrustedVerified, Daemon.Account.KnownTrust);
    }

    [Fact]
    public async Task Trust_with_a_wrong_safety_number_fails_naming_the_recipient_and_trusts_nothing()
    {
        var response = await Client.RoundTripAsync($$$"""{command:'trust',recipient:'{{{Known}}}',verifiedSafetyNumber:'999'}""");
        HasStatus(-1, response);
        Assert.Contains(Known, response.GetProperty("errorMessage").GetString());
        Assert.Equal(IdentityTrust.Untrusted, Daemon.Account.KnownTrust);

        HasStatus(0, await Client.RoundTripAsync($$$"""{command:'trust',recipient:'{{{Known}}}',trustAllKnownKeys:true}"""));
        Assert.Equal(IdentityTrust.TrustedUnverified, Daemon.Account.KnownTrust);
    }

    [Theory]
    [InlineData("{command:'trust',recipient:'+4366412345678'}", -1)]
    [InlineData("{command:'trust',recipient:'+4366412345678',trustAllKnownKeys:true,verifiedSafetyNumber:'1'}", -1)]
    [InlineData("{command:'trust',recipient:'+4366412345678',trustAllKnownKeys:false}", -1)]
    [InlineData("{command:'trust',trustAllKnownKeys:true}", 5)]
    [InlineData("{command:'trust',recipient:'nope',trustAllKnownKeys:true}", 2)]
    [InlineData("{command:'trust',recipient:'+4366400000000',trustAllKnownKeys:true}", 2)]
    [InlineData("{command:'list_identities',recipient:12}", 2)]
    public async Task Malformed_identity_commands_get_their_status_and_trust_nothing(string command, int status)
    {
        var response = await Client.RoundTripAsync(command);
        HasStatus(status, response);
        Assert.Equal(IdentityTrust.Untrusted, Daemon.Account.KnownTrust);
    }

    [Fact]
    public async Task List_identities_shows_each_safety_number_and_trust()
    {
        var response = await Client.RoundTripAsync("{command:'list_identities'}");
        HasStatus(0, response);
        var identity = Assert.Single(response.GetProperty("identities").EnumerateArray());
        Assert.Equal(Known, identity.GetProperty("number").GetString());
        Assert.Equal(FakeAccount.KnownAci.ToString(), identity.GetProperty("serviceId").GetString());
        Assert.Equal(FakeAccount.KnownSafetyNumber, identity.GetProperty("safetyNumber").GetString());
        Assert.Equal("UNTRUSTED", identity.GetProperty("trustLevel").GetString());
    }

    [Fact]
    public async Task Receive_reports_an_identity_change_and_marks_messages_from_the_untrusted_sender()
    {
        Daemon.Account.Deliver(
            new ReceivedIdentityChange(1000, Known, new Aci(FakeAccount.KnownAci), FakeAccount.KnownSafetyNumber),
            new ReceivedMessage(1001, Known, "hi from my new phone", [], new Aci(FakeAccount.KnownAci), UntrustedIdentity: true),
            new ReceivedMessage(1002, Known, "trusted", [], new Aci(FakeAccount.KnownAci)));
        var response = await Client.RoundTripAsync("{command:'receive_messages',timeout:0}");
        var items = response.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.True(items[0].GetProperty("identityChanged").GetBoolean());
        Assert.Equal(FakeAccount.KnownSafetyNumber, items[0].GetProperty("safetyNumber").GetString());
        Assert.Equal(Known, items[0].GetProperty("sender").GetString());
        Assert.False(items[0].TryGetProperty("body", out _));
        Assert.True(items[1].GetProperty("untrustedIdentity").GetBoolean());
        Assert.False(items[2].TryGetProperty("untrustedIdentity", out _));
    }

    [Fact]
    public async Task A_group_send_lists_the_member_it_could_not_reach()
    {
        Daemon.Account.GroupResults =
        [
            new RecipientSendResult(Known, new Aci(FakeAccount.KnownAci), true),
            new RecipientSendResult("+4366411111111", null, false, "the safety number changed and is not trusted", UntrustedIdentity: true),
        ];
        var response = await Client.RoundTripAsync($$$"""{command:'send_message',groupId:'{{{FakeAccount.MemberGroup.ToBase64()}}}',dataMessage:{message:'hi all'}}""");
        HasStatus(0, response);
        Assert.True(response.GetProperty("timestamp").GetInt64() > 0);
        var results = response.GetProperty("results").EnumerateArray().ToList();
        Assert.True(results[0].GetProperty("success").GetBoolean());
        Assert.False(results[1].GetProperty("success").GetBoolean());
        Assert.Equal("+4366411111111", results[1].GetProperty("recipient").GetString());
        Assert.True(results[1].GetProperty("untrustedIdentity").GetBoolean());
        Assert.Contains("safety number", results[1].GetProperty("error").GetString());
    }
}
