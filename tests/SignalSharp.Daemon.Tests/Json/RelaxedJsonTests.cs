using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.Json;

public sealed class RelaxedJsonTests : ConnectedDaemonTest
{
    [Theory]
    [InlineData("{command:'receive_messages',timeout:0,}")]
    [InlineData("{command:\"receive_messages\",timeout:0}")]
    [InlineData("{'command':'receive_messages','timeout':0}")]
    [InlineData("{\"command\":\"receive_messages\",\"timeout\":0,}")]
    [InlineData("{ command : 'receive_messages' , timeout : 0 , ignoreAttachments : true , }")]
    [InlineData("{$x_1:[1,2,],command:'receive_messages',timeout:0}")]
    public async Task Relaxed_forms_are_accepted(string request)
    {
        var response = await Client.RoundTripAsync(request);
        HasStatus(0, response);
        Assert.Equal("receive_messages", response.GetProperty("command").GetString());
    }

    [Fact]
    public async Task The_spec_socat_example_works_with_its_default_timeout()
    {
        var response = await Client.RoundTripAsync("{command:'receive_messages'}");
        HasStatus(0, response);
        Assert.Empty(response.GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public async Task Single_quoted_strings_keep_their_quotes_and_escapes()
    {
        var request = """{command:'send_message',reqId:'it\'s "me"',recipient:'+4366412345678',dataMessage:{message:'it\'s a "test" \u00e9 \\ \n',},}""";
        var response = await Client.RoundTripAsync(request);
        HasStatus(0, response);
        Assert.Equal("it's \"me\"", response.GetProperty("reqId").GetString());
        Assert.True(Daemon.Account.SentMessages.TryDequeue(out var sent));
        Assert.Equal("it's a \"test\" é \\ \n", sent.Message.Text);
    }

    [Fact]
    public async Task Literals_and_numbers_are_not_taken_for_names()
    {
        var response = await Client.RoundTripAsync("{command:'send_reaction',recipient:'+4366412345678',reaction:{emoji:'x',author:'+4366412345678',remove:false,timestamp:1.7e12}}");
        // 1.7e12 is a valid JSON number; as a timestamp it must be an integer, which it is in value.
        Assert.True(Status(response) is 0 or 11, response.ToString());
        var withTrue = await Client.RoundTripAsync("{command:'receive_messages',timeout:0,ignoreAttachments:true}");
        HasStatus(0, withTrue);
    }
}
