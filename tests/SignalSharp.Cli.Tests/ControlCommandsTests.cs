using SignalSharp.Account.Api;
using SignalSharp.Cli.Tests.Support;

namespace SignalSharp.Cli.Tests;

/// <summary>signal-cli's one-shot command names and flags for everything beyond a plain send, down to the account.</summary>
public sealed class ControlCommandsTests
{
    private const string Number = "+4366412345678";

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(OneAccount account, TempConfig config, params string[] args) =>
        OneShotRun.RunAsync(account, config, Number, args);

    [Fact]
    public async Task Send_takes_quote_mention_style_edit_and_view_once_flags()
    {
        var account = new OneAccount();
        using var config = new TempConfig();
        var (code, stdout, stderr) = await RunAsync(account, config, "send", "-m", "hi @x", "--quote-timestamp", "1732530000000", "--quote-author", Number,
            "--quote-message", "plan", "--mention", "3:2:" + Number, "--text-style", "0:2:BOLD", "--edit-timestamp", "1732530000001", "--view-once", Number);

        Assert.True(code == 0, stderr);
        Assert.Equal("42", stdout);
        var message = account.LastMessage!;
        Assert.Equal(new OutgoingQuote(1732530000000, RecipientAddress.PhoneNumber(Number), "plan"), message.Quote);
        Assert.Equal(3, Assert.Single(message.Mentions).Start);
        Assert.Equal([new OutgoingTextStyle(0, 2, TextStyle.Bold)], message.TextStyles);
        Assert.Equal(1732530000001, message.EditTargetTimestamp);
        Assert.True(message.ViewOnce);
    }

    [Fact]
    public async Task RemoteDelete_sendTyping_sendReceipt_and_updateContact_reach_the_account()
    {
        var account = new OneAccount();
        using var config = new TempConfig();

        Assert.Equal((0, "44"), Head(await RunAsync(account, config, "remoteDelete", "-t", "1732530000005", Number)));
        Assert.Equal(0, (await RunAsync(account, config, "sendTyping", Number)).Code);
        Assert.Equal(0, (await RunAsync(account, config, "sendTyping", "--stop", Number)).Code);
        Assert.Equal((0, "46"), Head(await RunAsync(account, config, "sendReceipt", Number, "-t", "11", "12", "--type", "viewed")));
        Assert.Equal(0, (await RunAsync(account, config, "updateContact", Number, "--expiration", "3600")).Code);

        Assert.Equal(["delete 1732530000005", "typing", "stopped typing", "Viewed 11,12", "timer 3600"], account.Controls);
    }

    [Fact]
    public async Task Send_takes_signal_clis_link_preview_flags()
    {
        var account = new OneAccount();
        using var config = new TempConfig();
        var (code, _, stderr) = await RunAsync(account, config, "send", "-m", "see https://signal.org", "--preview-url", "https://signal.org",
            "--preview-title", "Signal", "--preview-description", "Speak freely", "--preview-image", "data:image/png;base64,AQID", Number);

        Assert.True(code == 0, stderr);
        var preview = account.LastMessage!.Preview!;
        Assert.Equal(("https://signal.org", "Signal", "Speak freely"), (preview.Url, preview.Title, preview.Description));
        Assert.Equal([1, 2, 3], preview.Image!.Data.ToArray());
    }

    [Fact]
    public async Task Poll_commands_take_signal_clis_flags_and_print_the_timestamp()
    {
        var account = new OneAccount();
        using var config = new TempConfig();

        var (code, stdout, stderr) = await RunAsync(account, config, "sendPollCreate", "-q", "Lunch?", "-o", "pizza", "salad", "--no-multi", Number);
        Assert.True(code == 0, stderr);
        Assert.Equal("42", stdout);
        var create = Assert.IsType<PollCreation>(account.LastMessage!.Poll);
        Assert.Equal(("Lunch?", false), (create.Question, create.AllowMultiple));
        Assert.Equal(["pizza", "salad"], create.Options);

        Assert.Equal(0, (await RunAsync(account, config, "sendPollVote", "--poll-author", Number, "--poll-timestamp", "1732530000000", "-o", "1", "--vote-count", "2", Number)).Code);
        var vote = Assert.IsType<PollVote>(account.LastMessage!.Poll);
        Assert.Equal((Number, 1732530000000L, 2), (vote.Author.Value, vote.PollTimestamp, vote.VoteCount));
        Assert.Equal([1], vote.OptionIndexes);

        Assert.Equal(0, (await RunAsync(account, config, "sendPollTerminate", "--poll-timestamp", "1732530000000", Number)).Code);
        Assert.Equal(1732530000000, Assert.IsType<PollClosing>(account.LastMessage!.Poll).PollTimestamp);

        var (missing, _, complaint) = await RunAsync(account, config, "sendPollCreate", "-o", "a", "b", Number);
        Assert.NotEqual(0, missing);
        Assert.Contains("--question", complaint, StringComparison.Ordinal);
    }

    private static (int, string) Head((int Code, string Stdout, string Stderr) run) => (run.Code, run.Stdout);
}
