using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.Commands;

/// <summary>The send extensions that carry no text, over the wire: remote delete, typing, receipts, the timer.</summary>
public sealed class ControlCommandTests : ConnectedDaemonTest
{
    private const string Known = FakeAccount.KnownNumber;

    [Fact]
    public async Task Each_extension_reaches_the_account_and_answers_with_its_timestamp()
    {
        var group = FakeAccount.MemberGroup.ToBase64();
        string[] commands =
        [
            $"{{command:'send_remote_delete',reqId:1,recipient:'{Known}',targetTimestamp:1732530000005}}",
            $"{{command:'send_typing',reqId:2,groupId:'{group}'}}",
            $"{{command:'send_typing',reqId:3,recipient:'{Known}',stop:true}}",
            $"{{command:'send_receipt',reqId:4,recipient:'{Known}',type:'viewed',timestamps:[11,12]}}",
            $"{{command:'send_receipt',reqId:5,recipient:'{Known}',timestamps:[13]}}",
            $"{{command:'set_expiration_timer',reqId:6,recipient:'{Known}',expiration:3600}}",
        ];
        string[] names = ["send_remote_delete", "send_typing", "send_typing", "send_receipt", "send_receipt", "set_expiration_timer"];

        for (var i = 0; i < commands.Length; i++)
        {
            var response = await Client.RoundTripAsync(commands[i]);
            HasStatus(0, response);
            Assert.Equal(names[i], response.GetProperty("command").GetString());
            Assert.Equal(i + 1, response.GetProperty("reqId").GetInt32());
            Assert.True(response.GetProperty("timestamp").GetInt64() > 0);
        }

        Assert.Equal(
            [
                $"delete {Known} 1732530000005",
                $"typing group:{group} started",
                $"typing {Known} stopped",
                $"receipt {Known} Viewed 11,12",
                $"receipt {Known} Read 13",
                $"timer {Known} 3600",
            ],
            Daemon.Account.SentControls);
    }

    [Theory]
    [InlineData("{command:'send_remote_delete',recipient:'+4366412345678'}", -1)]
    [InlineData("{command:'send_remote_delete',targetTimestamp:5}", 5)]
    [InlineData("{command:'send_typing',recipient:'nope'}", 2)]
    [InlineData("{command:'send_typing',recipient:'+4366412345678',stop:'yes'}", -1)]
    [InlineData("{command:'send_receipt',recipient:'+4366412345678',timestamps:[]}", -1)]
    [InlineData("{command:'send_receipt',recipient:'+4366412345678',timestamps:[1],type:'seen'}", -1)]
    [InlineData("{command:'send_receipt',timestamps:[1]}", 2)]
    [InlineData("{command:'set_expiration_timer',recipient:'+4366412345678',expiration:-1}", -1)]
    [InlineData("{command:'send_typing',groupId:'AAAA'}", 6)]
    public async Task Malformed_extensions_get_their_status_and_send_nothing(string command, int status)
    {
        HasStatus(status, await Client.RoundTripAsync(command));
        Assert.Empty(Daemon.Account.SentControls);
    }

    [Fact]
    public async Task Poll_extensions_reach_the_account_as_poll_messages()
    {
        var group = FakeAccount.MemberGroup.ToBase64();
        var created = await Client.RoundTripAsync($"{{command:'send_poll_create',reqId:1,recipient:'{Known}',question:'Lunch?',options:['pizza','salad','soup']}}");
        var voted = await Client.RoundTripAsync($"{{command:'send_poll_vote',reqId:2,groupId:'{group}',pollAuthor:'{Known}',pollTimestamp:1732530000000,optionIndexes:[0,2]}}");
        var closed = await Client.RoundTripAsync($"{{command:'send_poll_terminate',reqId:3,recipient:'{Known}',pollTimestamp:1732530000000}}");

        HasStatus(0, created);
        HasStatus(0, voted);
        HasStatus(0, closed);
        Assert.Equal(["send_poll_create", "send_poll_vote", "send_poll_terminate"],
            new[] { created, voted, closed }.Select(r => r.GetProperty("command").GetString()));
        var sent = Daemon.Account.SentMessages.ToArray();
        var create = Assert.IsType<Account.Api.PollCreation>(sent[0].Message.Poll);
        Assert.Equal(("Lunch?", true), (create.Question, create.AllowMultiple));
        Assert.Equal(["pizza", "salad", "soup"], create.Options);
        var vote = Assert.IsType<Account.Api.PollVote>(sent[1].Message.Poll);
        Assert.Equal((Known, 1732530000000L, 1), (vote.Author.Value, vote.PollTimestamp, vote.VoteCount));
        Assert.Equal([0, 2], vote.OptionIndexes);
        Assert.Equal(1732530000000, Assert.IsType<Account.Api.PollClosing>(sent[2].Message.Poll).PollTimestamp);
    }

    [Theory]
    [InlineData("{command:'send_poll_create',recipient:'+4366412345678',options:['a','b']}", -1)]
    [InlineData("{command:'send_poll_create',recipient:'+4366412345678',question:'Q',options:'a'}", -1)]
    [InlineData("{command:'send_poll_create',recipient:'+4366412345678',question:'Q',options:['a','b'],allowMultiple:'no'}", -1)]
    [InlineData("{command:'send_poll_create',question:'Q',options:['a','b']}", 5)]
    [InlineData("{command:'send_poll_vote',recipient:'+4366412345678',pollTimestamp:5,optionIndexes:[0]}", -1)]
    [InlineData("{command:'send_poll_vote',recipient:'+4366412345678',pollAuthor:'+4366412345678',pollTimestamp:5,optionIndexes:[-1]}", -1)]
    [InlineData("{command:'send_poll_vote',recipient:'+4366412345678',pollAuthor:'+4366412345678',pollTimestamp:5,optionIndexes:[0],voteCount:0}", -1)]
    [InlineData("{command:'send_poll_terminate',recipient:'+4366412345678',pollTimestamp:'x'}", -1)]
    public async Task Malformed_poll_extensions_get_their_status_and_send_nothing(string command, int status)
    {
        HasStatus(status, await Client.RoundTripAsync(command));
        Assert.Empty(Daemon.Account.SentMessages);
    }
}
