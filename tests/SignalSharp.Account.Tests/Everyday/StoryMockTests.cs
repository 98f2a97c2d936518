using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.Everyday;

/// <summary>The account of these tests receives stories (`--receive-stories`).</summary>
public sealed class StoryMockFixture : EverydayMockFixture
{
    protected override LinkedAccountOptions Options => LinkedAccountOptions.Default with { ReceiveStories = true };
}

/// <summary>
/// Stories a mock contact posts, as Signal's protos encode them, come out as items of their own when the account
/// asked for stories: a text story with its words, style, colors and gradient, an image story with its file.
/// </summary>
public sealed class StoryMockTests(StoryMockFixture mock) : IClassFixture<StoryMockFixture>
{
    [Fact]
    public async Task A_text_story_comes_out_with_its_words_style_and_background()
    {
        var ct = Timeout();
        var timestamp = mock.NextTimestamp();
        await mock.SendAsync("alice", Story(new JsonObject
        {
            ["allowsReplies"] = true,
            ["attachment"] = new JsonObject
            {
                ["textAttachment"] = new JsonObject
                {
                    ["text"] = "Sunset over the bay 🌅",
                    ["textStyle"] = 2,
                    ["textForegroundColor"] = 0xFFFFFFFF,
                    ["textBackgroundColor"] = 0x80000000,
                    ["background"] = new JsonObject
                    {
                        ["gradient"] = new JsonObject
                        {
                            ["colors"] = new JsonArray(0xFFFF8800u, 0xFF0044CCu, 0xFF000000u),
                            ["positions"] = new JsonArray(0f, 0.5f, 1f),
                            ["angle"] = 135,
                        },
                    },
                },
            },
            ["bodyRanges"] = new JsonArray(new JsonObject { ["start"] = 0, ["length"] = 6, ["associatedValue"] = new JsonObject { ["style"] = 2 } }),
        }), timestamp, ct);

        var item = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == timestamp, ct);

        Assert.Equal(mock.NumberOf("alice"), item.Sender);
        Assert.Equal("Sunset over the bay 🌅", item.Body);
        Assert.Empty(item.Attachments);
        var story = Assert.IsType<ReceivedStory>(item.Details.Story);
        Assert.True(story.AllowsReplies);
        var text = Assert.IsType<ReceivedTextStory>(story.Text);
        Assert.Equal("BOLD", text.Style);
        Assert.Equal(0xFFFFFFFFu, text.ForegroundColor);
        Assert.Equal(0x80000000u, text.TextBackgroundColor);
        Assert.Null(text.BackgroundColor);
        var gradient = Assert.IsType<ReceivedGradient>(text.Gradient);
        Assert.Equal([0xFFFF8800u, 0xFF0044CCu, 0xFF000000u], gradient.Colors);
        Assert.Equal([0f, 0.5f, 1f], gradient.Positions);
        Assert.Equal(135u, gradient.Angle);
        Assert.Equal([new ReceivedTextStyle(0, 6, TextStyle.Italic)], item.Details.TextStyles);
    }

    [Fact]
    public async Task An_image_story_comes_out_with_its_file_and_a_plain_message_stays_a_message()
    {
        var ct = Timeout();
        var photo = System.Security.Cryptography.RandomNumberGenerator.GetBytes(2_000);
        var pointer = await mock.UploadAsync(photo, "image/jpeg", "bay.jpg", ct);
        var storyAt = mock.NextTimestamp();
        await mock.SendAsync("bob", Story(new JsonObject
        {
            ["allowsReplies"] = false,
            ["attachment"] = new JsonObject { ["fileAttachment"] = pointer },
        }), storyAt, ct, isSealed: true);
        var messageAt = mock.NextTimestamp();
        await mock.SendAsync("bob", Data(new JsonObject { ["body"] = "saw my story?", ["timestamp"] = U64(messageAt) }), messageAt, ct);

        var story = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == storyAt, ct);
        var message = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == messageAt, ct);

        Assert.Equal(mock.NumberOf("bob"), story.Sender);
        Assert.Null(story.Body);
        Assert.False(Assert.IsType<ReceivedStory>(story.Details.Story).AllowsReplies);
        Assert.Null(story.Details.Story!.Text);
        var file = Assert.Single(story.Attachments);
        Assert.Equal("image/jpeg", file.ContentType);
        Assert.Equal("bay.jpg", file.FileName);
        Assert.Equal(photo, file.Data!.Value.ToArray());
        Assert.Null(message.Details.Story);
        Assert.Equal("saw my story?", message.Body);
    }

    internal static JsonObject Story(JsonObject storyMessage) => new() { ["content"] = new JsonObject { ["storyMessage"] = storyMessage } };
}
