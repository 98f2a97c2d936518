using System.Text.Json;
using SignalSharp.Account.Api;
using SignalSharp.Daemon.Tests.Support;

namespace SignalSharp.Daemon.Tests.Commands;

/// <summary>
/// The receive_messages item fields beyond the seed's shape, over the wire: a message's quote, mentions, styles,
/// edit, delete, sticker, previews, contacts, poll and timer; typing, receipts, Sent transcripts, read syncs and
/// timer changes as typed items. The seed's fields stay as they were.
/// </summary>
public sealed class EverydayItemTests : ConnectedDaemonTest
{
    private const string Known = FakeAccount.KnownNumber;
    private static readonly string KnownAci = FakeAccount.KnownAci.ToString();

    private async Task<List<JsonElement>> ReceiveAsync(params ReceivedItem[] items)
    {
        Daemon.Account.Deliver(items);
        var response = await Client.RoundTripAsync("{command:'receive_messages',timeout:0}");
        return response.GetProperty("messages").EnumerateArray().ToList();
    }

    [Fact]
    public async Task A_message_names_its_sender_when_the_account_knows_the_name_and_leaves_it_out_otherwise()
    {
        var items = await ReceiveAsync(
            new ReceivedMessage(901, Known, "hi", [], ServiceId.Parse(KnownAci)) { SenderName = "Alice Liddell" },
            new ReceivedMessage(902, Known, "hi", [], ServiceId.Parse(KnownAci)));

        Assert.Equal("Alice Liddell", items[0].GetProperty("senderName").GetString());
        Assert.False(items[1].TryGetProperty("senderName", out _));
    }

    [Fact]
    public async Task A_message_carries_its_quote_mentions_styles_and_timer_beside_the_seed_fields()
    {
        var details = new MessageDetails
        {
            ExpiresInSeconds = 3600,
            Quote = new ReceivedQuote(1000, Known, KnownAci, "the plan", [], [new ReceivedTextStyle(4, 4, TextStyle.Italic)], [new QuotedAttachment("image/jpeg", "plan.jpg")]),
            Mentions = [new ReceivedMention(3, 1, KnownAci, Known)],
            TextStyles = [new ReceivedTextStyle(0, 2, TextStyle.Bold), new ReceivedTextStyle(5, 3, TextStyle.Spoiler)],
            ViewOnce = true,
        };
        var item = Assert.Single(await ReceiveAsync(new ReceivedMessage(1001, Known, "Hi \uFFFC you", [], ServiceId.Parse(KnownAci)) { Details = details }));

        Assert.False(item.TryGetProperty("type", out _));
        Assert.Equal(1001, item.GetProperty("timestamp").GetInt64());
        Assert.Equal(Known, item.GetProperty("sender").GetString());
        Assert.Equal("Hi \uFFFC you", item.GetProperty("body").GetString());
        Assert.Equal(0, item.GetProperty("attachments").GetArrayLength());
        Assert.Equal(3600, item.GetProperty("expiresInSeconds").GetInt32());
        Assert.True(item.GetProperty("viewOnce").GetBoolean());
        var quote = item.GetProperty("quote");
        Assert.Equal(1000, quote.GetProperty("id").GetInt64());
        Assert.Equal(Known, quote.GetProperty("author").GetString());
        Assert.Equal(KnownAci, quote.GetProperty("authorServiceId").GetString());
        Assert.Equal("the plan", quote.GetProperty("text").GetString());
        Assert.Equal("ITALIC", quote.GetProperty("textStyles")[0].GetProperty("style").GetString());
        Assert.Equal("plan.jpg", quote.GetProperty("attachments")[0].GetProperty("filename").GetString());
        var mention = Assert.Single(item.GetProperty("mentions").EnumerateArray());
        Assert.Equal((3, 1, KnownAci, Known), (mention.GetProperty("start").GetInt32(), mention.GetProperty("length").GetInt32(),
            mention.GetProperty("serviceId").GetString(), mention.GetProperty("number").GetString()));
        Assert.Equal(["BOLD", "SPOILER"], item.GetProperty("textStyles").EnumerateArray().Select(s => s.GetProperty("style").GetString()));
        Assert.Equal(5, item.GetProperty("textStyles")[1].GetProperty("start").GetInt32());
    }

    [Fact]
    public async Task Edits_deletes_stickers_previews_contacts_and_polls_have_named_fields()
    {
        var items = await ReceiveAsync(
            new ReceivedMessage(2001, Known, "fixed", [], ServiceId.Parse(KnownAci)) { Details = new MessageDetails { EditTargetTimestamp = 2000 } },
            new ReceivedMessage(2002, Known, null, [], ServiceId.Parse(KnownAci)) { Details = new MessageDetails { RemoteDeleteTimestamp = 2000 } },
            new ReceivedMessage(2003, Known, null, [new ReceivedAttachment(new byte[] { 1 }, null, "image/webp", 1)], ServiceId.Parse(KnownAci))
            {
                Details = new MessageDetails { Sticker = new ReceivedSticker("0102", "aabb", 7, "🐱") },
            },
            new ReceivedMessage(2004, Known, "see https://signal.org", [], ServiceId.Parse(KnownAci))
            {
                Details = new MessageDetails
                {
                    Previews = [new ReceivedPreview("https://signal.org", "Signal", null, null)],
                    Contacts = [new ReceivedContactCard("Ada Lovelace", null, ["+4366412345678"], [])],
                    Poll = new ReceivedPoll(Question: "Lunch?", Options: ["pizza", "salad"]),
                },
            });

        Assert.Equal(2000, items[0].GetProperty("editTargetTimestamp").GetInt64());
        Assert.Equal("fixed", items[0].GetProperty("body").GetString());
        Assert.Equal(2000, items[1].GetProperty("remoteDelete").GetProperty("timestamp").GetInt64());
        Assert.False(items[1].TryGetProperty("body", out _));
        var sticker = items[2].GetProperty("sticker");
        Assert.Equal(("0102", "aabb", 7, "🐱"), (sticker.GetProperty("packId").GetString(), sticker.GetProperty("packKey").GetString(),
            sticker.GetProperty("stickerId").GetInt32(), sticker.GetProperty("emoji").GetString()));
        Assert.Equal("AQ==", items[2].GetProperty("attachments")[0].GetProperty("base64Data").GetString());
        Assert.Equal("https://signal.org", items[3].GetProperty("previews")[0].GetProperty("url").GetString());
        Assert.Equal("Ada Lovelace", items[3].GetProperty("contacts")[0].GetProperty("name").GetString());
        Assert.Equal("+4366412345678", items[3].GetProperty("contacts")[0].GetProperty("phoneNumbers")[0].GetString());
        Assert.Equal(["pizza", "salad"], items[3].GetProperty("poll").GetProperty("options").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public async Task Typing_receipts_transcripts_read_syncs_and_timer_changes_are_typed_items()
    {
        var items = await ReceiveAsync(
            new ReceivedTyping(3001, Known, KnownAci, true, FakeAccount.MemberGroup),
            new ReceivedReceipt(3002, Known, KnownAci, ReceiptKind.Read, [2999, 3000]),
            new ReceivedSentTranscript(new ReceivedMessage(3003, "+4366411111111", "from my phone", [], null), Known, KnownAci),
            new ReceivedReadSync(3004, false, [new SyncedMessageRef(Known, KnownAci, 3000)]),
            new ReceivedMessage(3005, Known, null, [], ServiceId.Parse(KnownAci)) { Details = new MessageDetails { ExpirationUpdate = true, ExpiresInSeconds = 604800 } });

        Assert.Equal("typing", items[0].GetProperty("type").GetString());
        Assert.Equal("STARTED", items[0].GetProperty("action").GetString());
        Assert.Equal(FakeAccount.MemberGroup.ToBase64(), items[0].GetProperty("groupId").GetString());
        Assert.Equal(Known, items[0].GetProperty("sender").GetString());
        Assert.Equal("receipt", items[1].GetProperty("type").GetString());
        Assert.Equal("READ", items[1].GetProperty("receiptType").GetString());
        Assert.Equal([2999L, 3000L], items[1].GetProperty("timestamps").EnumerateArray().Select(t => t.GetInt64()));
        Assert.Equal("sentTranscript", items[2].GetProperty("type").GetString());
        Assert.Equal(Known, items[2].GetProperty("destination").GetString());
        Assert.Equal(KnownAci, items[2].GetProperty("destinationServiceId").GetString());
        Assert.Equal("from my phone", items[2].GetProperty("body").GetString());
        Assert.Equal("+4366411111111", items[2].GetProperty("sender").GetString());
        Assert.Equal("readSync", items[3].GetProperty("type").GetString());
        Assert.Equal(3000, items[3].GetProperty("messages")[0].GetProperty("timestamp").GetInt64());
        Assert.Equal("expirationTimer", items[4].GetProperty("type").GetString());
        Assert.Equal(604800, items[4].GetProperty("expiresInSeconds").GetInt32());
    }

    [Fact]
    public async Task A_story_keeps_the_message_shape_and_adds_its_story_fields()
    {
        var text = new ReceivedTextStory("Sunset", "SERIF", 0xFF000000, null, null, new ReceivedGradient([0xFF112233, 0xFF445566, 0xFF778899], [0f, 0.3f, 1f], 45), null);
        var items = await ReceiveAsync(
            new ReceivedMessage(1201, Known, "Sunset", [], ServiceId.Parse(KnownAci)) { Details = new MessageDetails { Story = new ReceivedStory(true, text) } },
            new ReceivedMessage(1202, Known, null, [new ReceivedAttachment(new byte[] { 5, 6 }, "bay.jpg", "image/jpeg", 2)], ServiceId.Parse(KnownAci))
            {
                Details = new MessageDetails { Story = new ReceivedStory(false, null) },
            });

        Assert.Equal("Sunset", items[0].GetProperty("body").GetString());
        Assert.Equal(Known, items[0].GetProperty("sender").GetString());
        var story = items[0].GetProperty("story");
        Assert.True(story.GetProperty("allowsReplies").GetBoolean());
        var look = story.GetProperty("text");
        Assert.Equal("SERIF", look.GetProperty("style").GetString());
        Assert.Equal("#ff000000", look.GetProperty("textForegroundColor").GetString());
        Assert.False(look.TryGetProperty("backgroundColor", out _));
        var gradient = look.GetProperty("backgroundGradient");
        Assert.Equal(["#ff112233", "#ff445566", "#ff778899"], gradient.GetProperty("colors").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal([0f, 0.3f, 1f], gradient.GetProperty("positions").EnumerateArray().Select(p => p.GetSingle()));
        Assert.Equal(45, gradient.GetProperty("angle").GetInt32());

        var file = items[1];
        Assert.False(file.GetProperty("story").GetProperty("allowsReplies").GetBoolean());
        Assert.False(file.GetProperty("story").TryGetProperty("text", out _));
        Assert.Equal("bay.jpg", file.GetProperty("attachments")[0].GetProperty("filename").GetString());
        Assert.False(items[0].TryGetProperty("type", out _));
    }
}
