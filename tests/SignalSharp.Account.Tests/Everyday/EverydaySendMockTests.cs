using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.Everyday;

/// <summary>
/// What the account sends, as the mock contact's libsignal decrypts it and Signal's protos decode it: a reply's
/// quote (id and author), mention ranges with the mentioned ACI, styles, view-once; an edit naming its target.
/// </summary>
public sealed class EverydaySendMockTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
    private static string Base64Aci(Guid aci) => Convert.ToBase64String(aci.ToByteArray(bigEndian: true));

    [Fact]
    public async Task A_reply_reaches_the_contact_with_its_quote_mentions_styles_and_view_once()
    {
        var ct = Timeout();
        var alice = mock.NumberOf("alice");
        var bob = mock.AciOf("bob");
        const string text = "👋🏽 \uFFFC: 𝄞 bold";
        var mentionAt = text.IndexOf('\uFFFC', StringComparison.Ordinal);
        var boldAt = text.IndexOf("bold", StringComparison.Ordinal);
        var message = new OutgoingMessage(text, [new OutgoingAttachment("once"u8.ToArray(), "once.txt", "text/plain")])
        {
            Quote = new OutgoingQuote(1732530000000, Address(alice), "your plan"),
            Mentions = [new OutgoingMention(mentionAt, 1, Address(bob.ToString()))],
            TextStyles = [new OutgoingTextStyle(boldAt, 4, TextStyle.Bold)],
            ViewOnce = true,
        };

        var sent = await mock.Linked.Account.SendMessageAsync(new RecipientTarget(Address(alice)), message, ct);
        var received = (await mock.Linked.Mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "alice" }, ct))!["dataMessage"]!;

        Assert.Equal(sent.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)received["timestamp"]!);
        Assert.Equal(text, (string)received["body"]!);
        Assert.True((bool)received["isViewOnce"]!);
        var quote = received["quote"]!;
        Assert.Equal("1732530000000", (string)quote["id"]!);
        Assert.Equal(Base64Aci(mock.AciOf("alice")), (string)quote["authorAciBinary"]!);
        Assert.Equal("your plan", (string)quote["text"]!);
        var ranges = received["bodyRanges"]!.AsArray();
        Assert.Equal(2, ranges.Count);
        Assert.Equal(mentionAt, (int)ranges[0]!["start"]!);
        Assert.Equal(1, (int)ranges[0]!["length"]!);
        Assert.Equal(Base64Aci(bob), (string)ranges[0]!["associatedValue"]!["mentionAciBinary"]!);
        Assert.Equal(boldAt, (int)ranges[1]!["start"]!);
        Assert.Equal(4, (int)ranges[1]!["length"]!);
        Assert.Equal(1, (int)ranges[1]!["associatedValue"]!["style"]!);
    }

    [Fact]
    public async Task An_edit_reaches_the_contact_as_an_EditMessage_naming_the_original()
    {
        var ct = Timeout();
        var alice = new RecipientTarget(Address(mock.NumberOf("alice")));
        var original = await mock.Linked.Account.SendMessageAsync(alice, new OutgoingMessage("teh plan", []), ct);
        await mock.Linked.Mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "alice" }, ct);

        var edit = await mock.Linked.Account.SendMessageAsync(alice, new OutgoingMessage("the plan", []) { EditTargetTimestamp = original.Timestamp }, ct);
        var received = (await mock.Linked.Mock.CommandAsync("waitForEditContent", new JsonObject { ["at"] = "alice" }, ct))!["editMessage"]!;

        Assert.Equal(original.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)received["targetSentTimestamp"]!);
        Assert.Equal("the plan", (string)received["dataMessage"]!["body"]!);
        Assert.Equal(edit.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)received["dataMessage"]!["timestamp"]!);
    }

    [Fact]
    public async Task A_poll_its_votes_and_its_close_reach_the_contact_as_Signals_poll_fields()
    {
        var ct = Timeout();
        var alice = new RecipientTarget(Address(mock.NumberOf("alice")));
        async Task<JsonNode> AtAliceAsync() =>
            (await mock.Linked.Mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "alice" }, ct))!["dataMessage"]!;

        var poll = await mock.Linked.Account.SendMessageAsync(alice,
            new OutgoingMessage(null, []) { Poll = new PollCreation("Lunch?", ["pizza", "salad", "soup"], AllowMultiple: false) }, ct);
        var created = (await AtAliceAsync())["pollCreate"]!;
        Assert.Equal("Lunch?", (string)created["question"]!);
        Assert.False((bool)created["allowMultiple"]!);
        Assert.Equal(["pizza", "salad", "soup"], created["options"]!.AsArray().Select(o => (string)o!));

        await mock.Linked.Account.SendMessageAsync(alice,
            new OutgoingMessage(null, []) { Poll = new PollVote(Address(mock.NumberOf("alice")), 1732530000000, [2], 3) }, ct);
        var vote = (await AtAliceAsync())["pollVote"]!;
        Assert.Equal(Base64Aci(mock.AciOf("alice")), (string)vote["targetAuthorAciBinary"]!);
        Assert.Equal("1732530000000", (string)vote["targetSentTimestamp"]!);
        Assert.Equal([2], vote["optionIndexes"]!.AsArray().Select(o => (int)o!));
        Assert.Equal(3, (int)vote["voteCount"]!);

        await mock.Linked.Account.SendMessageAsync(alice, new OutgoingMessage(null, []) { Poll = new PollClosing(poll.Timestamp) }, ct);
        var closed = (await AtAliceAsync())["pollTerminate"]!;
        Assert.Equal(poll.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)closed["targetSentTimestamp"]!);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(11, 10)]
    [InlineData(3, 101)]
    [InlineData(3, 0)]
    public async Task A_poll_outside_Signals_limits_is_refused_before_anything_is_built(int options, int length)
    {
        var ct = Timeout();
        var poll = new PollCreation("Which?", [.. Enumerable.Range(0, options).Select(i => new string((char)('a' + i), length))], true);
        var refused = await Assert.ThrowsAsync<InvalidPollException>(() =>
            mock.Linked.Account.SendMessageAsync(new RecipientTarget(Address(mock.NumberOf("bob"))), new OutgoingMessage(null, []) { Poll = poll }, ct));
        Assert.Contains("option", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_preview_reaches_the_contact_with_its_title_description_and_image()
    {
        var ct = Timeout();
        var image = System.Security.Cryptography.RandomNumberGenerator.GetBytes(300);
        var message = new OutgoingMessage("see https://signal.org", [])
        {
            Preview = new OutgoingPreview("https://signal.org", "Signal", "Speak freely", new OutgoingAttachment(image, "preview.png", "image/png")),
        };

        await mock.Linked.Account.SendMessageAsync(new RecipientTarget(Address(mock.NumberOf("alice"))), message, ct);
        var received = (await mock.Linked.Mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "alice" }, ct))!["dataMessage"]!;

        Assert.Equal("see https://signal.org", (string)received["body"]!);
        var preview = Assert.Single(received["preview"]!.AsArray())!;
        Assert.Equal("https://signal.org", (string)preview["url"]!);
        Assert.Equal("Signal", (string)preview["title"]!);
        Assert.Equal("Speak freely", (string)preview["description"]!);
        Assert.Equal("image/png", (string)preview["image"]!["contentType"]!);
        Assert.Equal(image.Length, (int)preview["image"]!["size"]!);
    }
}
