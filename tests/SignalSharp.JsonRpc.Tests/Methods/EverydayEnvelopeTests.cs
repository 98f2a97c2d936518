using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

/// <summary>
/// Everyday message kinds as signal-cli's JsonMessageEnvelope names them: quote, mentions, textStyles,
/// remoteDelete, sticker, viewOnce, expiresInSeconds and isExpirationUpdate in dataMessage; editMessage,
/// typingMessage, receiptMessage and syncMessage (sentMessage, readMessages) beside it.
/// </summary>
public sealed class EverydayEnvelopeTests
{
    private const string Known = FakeAccount.KnownNumber;
    private static readonly string KnownAci = FakeAccount.KnownAci.ToString();

    private static async Task<List<JsonNode>> ReceiveAsync(params ReceivedItem[] items)
    {
        await using var harness = new Harness();
        harness.Fake.Deliver(items);
        var answer = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"receive","params":{"timeout":1},"id":1}"""));
        return [.. answer["result"]!.AsArray().Select(i => i!["envelope"]!)];
    }

    [Fact]
    public async Task The_envelope_names_the_sender_in_sourceName_and_writes_null_when_unknown()
    {
        var envelopes = await ReceiveAsync(
            new ReceivedMessage(901, Known, "hi", [], ServiceId.Parse(KnownAci)) { SenderName = "Alice Liddell" },
            new ReceivedMessage(902, Known, "hi", [], ServiceId.Parse(KnownAci)));

        Assert.Equal("Alice Liddell", (string?)envelopes[0]["sourceName"]);
        Assert.True(envelopes[1].AsObject().ContainsKey("sourceName"));
        Assert.Null(envelopes[1]["sourceName"]);
    }

    [Fact]
    public async Task A_reply_has_signal_clis_quote_mentions_and_text_styles()
    {
        var details = new MessageDetails
        {
            ExpiresInSeconds = 60,
            ViewOnce = true,
            Quote = new ReceivedQuote(1000, Known, KnownAci, "the plan", [], [], [new QuotedAttachment("image/jpeg", "plan.jpg")]),
            Mentions = [new ReceivedMention(3, 1, KnownAci, Known)],
            TextStyles = [new ReceivedTextStyle(0, 2, TextStyle.Strikethrough)],
        };
        var envelope = Assert.Single(await ReceiveAsync(new ReceivedMessage(1001, Known, "Hi \uFFFC", [], ServiceId.Parse(KnownAci)) { Details = details }));

        var data = envelope["dataMessage"]!;
        Assert.Equal(60, (int)data["expiresInSeconds"]!);
        Assert.True((bool)data["viewOnce"]!);
        Assert.Null(data["isExpirationUpdate"]);
        var quote = data["quote"]!;
        Assert.Equal(1000, (long)quote["id"]!);
        Assert.Equal(Known, (string)quote["authorNumber"]!);
        Assert.Equal(KnownAci, (string)quote["authorUuid"]!);
        Assert.Equal("the plan", (string)quote["text"]!);
        Assert.Equal("plan.jpg", (string)quote["attachments"]![0]!["filename"]!);
        var mention = data["mentions"]![0]!;
        Assert.Equal((Known, KnownAci, 3, 1), ((string)mention["number"]!, (string)mention["uuid"]!, (int)mention["start"]!, (int)mention["length"]!));
        Assert.Equal("STRIKETHROUGH", (string)data["textStyles"]![0]!["style"]!);
    }

    [Fact]
    public async Task A_shared_contact_card_is_listed_under_contacts_as_signal_cli_names_it()
    {
        var card = new ReceivedContactCard("Ada Lovelace", "Analytical Engines", ["+4366400000042"], ["ada@example.org"]);
        var envelope = Assert.Single(await ReceiveAsync(
            new ReceivedMessage(1501, Known, null, [], ServiceId.Parse(KnownAci)) { Details = new MessageDetails { Contacts = [card] } }));

        var contact = envelope["dataMessage"]!["contacts"]![0]!;
        Assert.Equal("Ada Lovelace", (string)contact["name"]!["display"]!);
        Assert.Equal("+4366400000042", (string)contact["phone"]![0]!["value"]!);
        Assert.Equal("ada@example.org", (string)contact["email"]![0]!["value"]!);
        Assert.Equal("Analytical Engines", (string)contact["organization"]!);
    }

    [Fact]
    public async Task Edits_deletes_stickers_and_timer_changes_use_signal_clis_members()
    {
        var envelopes = await ReceiveAsync(
            new ReceivedMessage(2001, Known, "fixed", [], ServiceId.Parse(KnownAci)) { Details = new MessageDetails { EditTargetTimestamp = 2000 } },
            new ReceivedMessage(2002, Known, null, [], ServiceId.Parse(KnownAci)) { Details = new MessageDetails { RemoteDeleteTimestamp = 2000 } },
            new ReceivedMessage(2003, Known, null, [], ServiceId.Parse(KnownAci)) { Details = new MessageDetails { Sticker = new ReceivedSticker("0102", "aabb", 7, null) } },
            new ReceivedMessage(2004, Known, null, [], ServiceId.Parse(KnownAci)) { Details = new MessageDetails { ExpirationUpdate = true, ExpiresInSeconds = 86400 } });

        Assert.Null(envelopes[0]["dataMessage"]);
        Assert.Equal(2000, (long)envelopes[0]["editMessage"]!["targetSentTimestamp"]!);
        Assert.Equal("fixed", (string)envelopes[0]["editMessage"]!["dataMessage"]!["message"]!);
        Assert.Equal(2000, (long)envelopes[1]["dataMessage"]!["remoteDelete"]!["timestamp"]!);
        Assert.Equal("0102", (string)envelopes[2]["dataMessage"]!["sticker"]!["packId"]!);
        Assert.Equal(7, (int)envelopes[2]["dataMessage"]!["sticker"]!["stickerId"]!);
        Assert.True((bool)envelopes[3]["dataMessage"]!["isExpirationUpdate"]!);
        Assert.Equal(86400, (int)envelopes[3]["dataMessage"]!["expiresInSeconds"]!);
    }

    [Fact]
    public async Task Typing_receipts_and_sync_messages_are_their_own_envelope_members()
    {
        var envelopes = await ReceiveAsync(
            new ReceivedTyping(3001, Known, KnownAci, false, null),
            new ReceivedReceipt(3002, Known, KnownAci, ReceiptKind.Delivery, [3000]),
            new ReceivedSentTranscript(new ReceivedMessage(3003, Harness.Account, "from my phone", [], null) { Details = new MessageDetails { ExpiresInSeconds = 5 } }, Known, KnownAci),
            new ReceivedReadSync(3004, false, [new SyncedMessageRef(Known, KnownAci, 3000)]));

        Assert.Equal("STOPPED", (string)envelopes[0]["typingMessage"]!["action"]!);
        Assert.Equal(3001, (long)envelopes[0]["typingMessage"]!["timestamp"]!);
        Assert.Equal(Known, (string)envelopes[0]["sourceNumber"]!);
        var receipt = envelopes[1]["receiptMessage"]!;
        Assert.True((bool)receipt["isDelivery"]!);
        Assert.False((bool)receipt["isRead"]!);
        Assert.Equal(3000, (long)receipt["timestamps"]![0]!);
        var sent = envelopes[2]["syncMessage"]!["sentMessage"]!;
        Assert.Equal(Known, (string)sent["destinationNumber"]!);
        Assert.Equal(KnownAci, (string)sent["destinationUuid"]!);
        Assert.Equal("from my phone", (string)sent["message"]!);
        Assert.Equal(5, (int)sent["expiresInSeconds"]!);
        Assert.Equal(Harness.Account, (string)envelopes[2]["sourceNumber"]!);
        var read = envelopes[3]["syncMessage"]!["readMessages"]![0]!;
        Assert.Equal((Known, KnownAci, 3000L), ((string)read["senderNumber"]!, (string)read["senderUuid"]!, (long)read["timestamp"]!));
    }

    [Fact]
    public async Task A_story_is_a_storyMessage_with_signal_clis_text_attachment_and_no_dataMessage()
    {
        var group = new GroupId(Enumerable.Range(1, 32).Select(b => (byte)b).ToArray());
        var text = new ReceivedTextStory("Sunset", "BOLD", 0xFFFFFFFF, null, new ReceivedPreview("https://signal.org", "Signal", null, null),
            new ReceivedGradient([0xFF112233, 0xFF445566], [0f, 1f], 90), null);
        var textStory = new ReceivedMessage(1101, Known, "Sunset", [], ServiceId.Parse(KnownAci), group)
        {
            Details = new MessageDetails { Story = new ReceivedStory(true, text) },
        };
        var fileStory = new ReceivedMessage(1102, Known, null, [new ReceivedAttachment(new byte[] { 1, 2, 3 }, "bay.jpg", "image/jpeg", 3)],
            ServiceId.Parse(KnownAci))
        {
            Details = new MessageDetails { Story = new ReceivedStory(false, null) },
        };

        var envelopes = await ReceiveAsync(textStory, fileStory);

        Assert.Null(envelopes[0]["dataMessage"]);
        var story = envelopes[0]["storyMessage"]!;
        Assert.True((bool)story["allowsReplies"]!);
        Assert.Equal(group.ToBase64(), (string)story["groupId"]!);
        Assert.Null(story["fileAttachment"]);
        var attachment = story["textAttachment"]!;
        Assert.Equal("Sunset", (string)attachment["text"]!);
        Assert.Equal("BOLD", (string)attachment["style"]!);
        Assert.Equal("#ffffffff", (string)attachment["textForegroundColor"]!);
        Assert.False(attachment.AsObject().ContainsKey("textBackgroundColor"));
        Assert.Equal("https://signal.org", (string)attachment["preview"]!["url"]!);
        var gradient = attachment["backgroundGradient"]!;
        Assert.Equal("#ff112233", (string)gradient["startColor"]!);
        Assert.Equal("#ff445566", (string)gradient["endColor"]!);
        Assert.Equal(["#ff112233", "#ff445566"], gradient["colors"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(90, (int)gradient["angle"]!);

        var file = envelopes[1]["storyMessage"]!;
        Assert.False((bool)file["allowsReplies"]!);
        Assert.Null(file["groupId"]);
        Assert.Null(file["textAttachment"]);
        Assert.Equal("bay.jpg", (string)file["fileAttachment"]!["filename"]!);
        Assert.Equal("image/jpeg", (string)file["fileAttachment"]!["contentType"]!);
        Assert.Equal(3, (int)file["fileAttachment"]!["size"]!);
    }
}
