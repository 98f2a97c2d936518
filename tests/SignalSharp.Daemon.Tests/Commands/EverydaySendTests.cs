using SignalSharp.Account.Api;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.Commands;

/// <summary>
/// send_message's dataMessage extensions reach the account as given: a quote, mentions and styles (UTF-16 ranges
/// inside the text), an edit's target, view-once; a malformed one is refused before anything is sent.
/// </summary>
public sealed class EverydaySendTests : ConnectedDaemonTest
{
    private const string Known = FakeAccount.KnownNumber;

    [Fact]
    public async Task Quote_mentions_styles_edit_and_view_once_are_passed_to_the_account()
    {
        var aci = FakeAccount.KnownAci.ToString();
        var response = await Client.RoundTripAsync($$$"""
            {"command":"send_message","recipient":"{{{Known}}}","dataMessage":{"message":"👋🏽 ￼ bold","viewOnce":true,"editTimestamp":1732530000001,
             "quote":{"timestamp":1732530000000,"author":"{{{Known}}}","text":"the plan"},
             "mentions":[{"start":5,"length":1,"recipient":"{{{aci}}}"}],
             "textStyles":[{"start":7,"length":4,"style":"BOLD"},{"start":0,"length":4,"style":"spoiler"}]}}
            """);
        HasStatus(0, response);

        Assert.True(Daemon.Account.SentMessages.TryDequeue(out var sent));
        var message = sent.Message;
        Assert.Equal("👋🏽 ￼ bold", message.Text);
        Assert.True(message.ViewOnce);
        Assert.Equal(1732530000001, message.EditTargetTimestamp);
        Assert.Equal(1732530000000, message.Quote!.Timestamp);
        Assert.Equal(Known, message.Quote.Author.ToString());
        Assert.Equal("the plan", message.Quote.Text);
        var mention = Assert.Single(message.Mentions);
        Assert.Equal((5, 1, aci), (mention.Start, mention.Length, mention.Recipient.Value));
        Assert.Equal([new OutgoingTextStyle(7, 4, TextStyle.Bold), new OutgoingTextStyle(0, 4, TextStyle.Spoiler)], message.TextStyles);
    }

    [Fact]
    public async Task A_sticker_alone_is_a_message_and_reaches_the_account_as_pack_id_and_sticker_id()
    {
        var response = await Client.RoundTripAsync($$$"""
            {"command":"send_message","recipient":"{{{Known}}}","dataMessage":{"sticker":"0123456789ABCDEF0123456789abcdef:12"}}
            """);
        HasStatus(0, response);

        Assert.True(Daemon.Account.SentMessages.TryDequeue(out var sent));
        Assert.Null(sent.Message.Text);
        Assert.Empty(sent.Message.Attachments);
        Assert.Equal(new OutgoingSticker("0123456789abcdef0123456789abcdef", 12), sent.Message.Sticker);
    }

    [Fact]
    public async Task A_link_preview_reaches_the_account_with_its_title_description_and_image()
    {
        var response = await Client.RoundTripAsync("""
            {"command":"send_message","recipient":"KNOWN","dataMessage":{"message":"see https://signal.org",
             "preview":{"url":"https://signal.org","title":"Signal","description":"Speak freely",
                        "image":{"base64Data":"AQID","filename":"p.png","contentType":"image/png"}}}}
            """.Replace("KNOWN", Known, StringComparison.Ordinal));
        HasStatus(0, response);

        Assert.True(Daemon.Account.SentMessages.TryDequeue(out var sent));
        var preview = sent.Message.Preview!;
        Assert.Equal(("https://signal.org", "Signal", "Speak freely"), (preview.Url, preview.Title, preview.Description));
        Assert.Equal([1, 2, 3], preview.Image!.Data.ToArray());
        Assert.Equal(("p.png", "image/png"), (preview.Image.FileName, preview.Image.ContentType));
    }

    [Theory]
    [InlineData("""{"sticker":"abc:1"}""", -1)]
    [InlineData("""{"sticker":"zz:1"}""", -1)]
    [InlineData("""{"sticker":"00ff"}""", -1)]
    [InlineData("""{"sticker":"00ff:-1"}""", -1)]
    [InlineData("""{"sticker":"00ff:99999999999"}""", -1)]
    [InlineData("""{"sticker":7}""", -1)]
    [InlineData("""{"message":"hi","preview":"https://signal.org"}""", -1)]
    [InlineData("""{"message":"hi","preview":{"title":"no url"}}""", -1)]
    [InlineData("""{"message":"hi","preview":{"url":"https://signal.org","title":5}}""", -1)]
    [InlineData("""{"message":"hi","preview":{"url":"https://signal.org","image":{"base64Data":"not base64!"}}}""", 3)]
    [InlineData("""{"message":"hi","preview":{"url":"https://signal.org","image":"AQID"}}""", 3)]
    [InlineData("""{"preview":{"url":"https://signal.org"}}""", 9)]
    public async Task A_malformed_sticker_or_preview_is_refused_and_nothing_is_sent(string dataMessage, int status)
    {
        var response = await Client.RoundTripAsync($$"""{"command":"send_message","recipient":"{{Known}}","dataMessage":{{dataMessage}}}""");
        HasStatus(status, response);
        Assert.True(Daemon.Account.SentMessages.IsEmpty);
    }

    [Theory]
    [InlineData("""{"message":"hi","mentions":[{"start":1,"length":2,"recipient":"+4366412345678"}]}""", -1)]
    [InlineData("""{"message":"hi","mentions":[{"start":0,"length":1,"recipient":"nobody"}]}""", 2)]
    [InlineData("""{"message":"hi","textStyles":[{"start":0,"length":1,"style":"BLINK"}]}""", -1)]
    [InlineData("""{"message":"hi","textStyles":[{"start":0,"length":1,"style":"1"}]}""", -1)]
    [InlineData("""{"message":"hi","quote":{"timestamp":0,"author":"+4366412345678"}}""", -1)]
    [InlineData("""{"message":"hi","quote":{"timestamp":5,"author":"x"}}""", 2)]
    [InlineData("""{"message":"hi","editTimestamp":"5"}""", -1)]
    [InlineData("""{"message":"hi","viewOnce":1}""", -1)]
    public async Task A_malformed_extension_is_refused_and_nothing_is_sent(string dataMessage, int status)
    {
        var response = await Client.RoundTripAsync($$"""{"command":"send_message","recipient":"{{Known}}","dataMessage":{{dataMessage}}}""");
        HasStatus(status, response);
        Assert.True(Daemon.Account.SentMessages.IsEmpty);
    }
}
