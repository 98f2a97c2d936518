using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.Everyday;

/// <summary>
/// Every everyday message kind, sent by a mock contact (or the account's phone) as Signal's own protos encode it,
/// comes out of the account's receive with its fields: quotes, mentions and styles at UTF-16 offsets, edits,
/// remote deletes, stickers with their image, view-once, link previews, contact cards, polls, timers, typing,
/// receipts, and the phone's Sent transcripts and read syncs; a sync message from a contact is not shown.
/// </summary>
public sealed class EverydayReceiveMockTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
    [Fact]
    public async Task A_quoted_reply_with_mentions_and_styles_keeps_them_at_their_UTF16_offsets()
    {
        var ct = Timeout();
        var bob = mock.AciOf("bob");
        const string body = "Hi 👋🏽 \uFFFC, 𝄞 look: bold!";
        var mentionAt = body.IndexOf('\uFFFC', StringComparison.Ordinal);
        var boldAt = body.IndexOf("bold", StringComparison.Ordinal);
        var quoted = mock.NextTimestamp();
        var timestamp = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject
        {
            ["body"] = body,
            ["timestamp"] = U64(timestamp),
            ["expireTimer"] = 3600,
            ["bodyRanges"] = new JsonArray(
                new JsonObject { ["start"] = mentionAt, ["length"] = 1, ["associatedValue"] = new JsonObject { ["mentionAciBinary"] = Aci(bob) } },
                new JsonObject { ["start"] = boldAt, ["length"] = 4, ["associatedValue"] = new JsonObject { ["style"] = 1 } },
                new JsonObject { ["start"] = 0, ["length"] = 2, ["associatedValue"] = new JsonObject { ["style"] = 3 } }),
            ["quote"] = new JsonObject
            {
                ["id"] = U64(quoted),
                ["authorAciBinary"] = Aci(mock.OwnAci),
                ["text"] = "🎉 the plan",
                ["bodyRanges"] = new JsonArray(new JsonObject { ["start"] = 3, ["length"] = 3, ["associatedValue"] = new JsonObject { ["style"] = 2 } }),
                ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "image/jpeg", ["fileName"] = "plan.jpg" }),
            },
        }), timestamp, ct);

        var message = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == timestamp, ct);

        Assert.Equal(body, message.Body);
        Assert.Equal(3600, message.Details.ExpiresInSeconds);
        Assert.False(message.Details.ExpirationUpdate);
        var mention = Assert.Single(message.Details.Mentions);
        Assert.Equal(new ReceivedMention(mentionAt, 1, bob.ToString(), mock.NumberOf("bob")), mention);
        Assert.Equal("\uFFFC", body.Substring(mention.Start, mention.Length));
        Assert.Equal([new ReceivedTextStyle(boldAt, 4, TextStyle.Bold), new ReceivedTextStyle(0, 2, TextStyle.Spoiler)], message.Details.TextStyles);
        Assert.Equal("bold", body.Substring(boldAt, 4));
        var quote = Assert.IsType<ReceivedQuote>(message.Details.Quote);
        Assert.Equal(quoted, quote.Id);
        Assert.Equal(mock.OwnNumber, quote.Author);
        Assert.Equal(mock.OwnAci.ToString(), quote.AuthorServiceId);
        Assert.Equal("🎉 the plan", quote.Text);
        Assert.Equal([new ReceivedTextStyle(3, 3, TextStyle.Italic)], quote.TextStyles);
        Assert.Equal("the", quote.Text!.Substring(3, 3));
        Assert.Equal([new QuotedAttachment("image/jpeg", "plan.jpg")], quote.Attachments);
    }

    [Fact]
    public async Task An_edit_names_the_message_it_replaces_and_carries_the_new_text()
    {
        var ct = Timeout();
        var original = mock.NextTimestamp();
        var edit = mock.NextTimestamp();
        await mock.SendAsync("alice", new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["editMessage"] = new JsonObject
                {
                    ["targetSentTimestamp"] = U64(original),
                    ["dataMessage"] = new JsonObject { ["body"] = "fixed typo", ["timestamp"] = U64(edit) },
                },
            },
        }, edit, ct);

        var message = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == edit, ct);

        Assert.Equal("fixed typo", message.Body);
        Assert.Equal(original, message.Details.EditTargetTimestamp);
        Assert.Equal(mock.NumberOf("alice"), message.Sender);
    }

    [Fact]
    public async Task A_remote_delete_names_the_deleted_message()
    {
        var ct = Timeout();
        var deleted = mock.NextTimestamp();
        var timestamp = mock.NextTimestamp();
        await mock.SendAsync("bob", Data(new JsonObject
        {
            ["timestamp"] = U64(timestamp),
            ["delete"] = new JsonObject { ["targetSentTimestamp"] = U64(deleted) },
        }), timestamp, ct, isSealed: true);

        var message = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == timestamp, ct);

        Assert.Null(message.Body);
        Assert.Equal(deleted, message.Details.RemoteDeleteTimestamp);
        Assert.Equal(mock.NumberOf("bob"), message.Sender);
    }

    [Fact]
    public async Task A_sticker_arrives_with_its_ids_and_its_image_as_an_attachment()
    {
        var ct = Timeout();
        var image = "RIFF sticker image"u8.ToArray();
        var pointer = await mock.UploadAsync(image, "image/webp", null, ct);
        var packId = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var packKey = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        var timestamp = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject
        {
            ["timestamp"] = U64(timestamp),
            ["sticker"] = new JsonObject
            {
                ["packId"] = Bytes(packId), ["packKey"] = Bytes(packKey), ["stickerId"] = 7, ["emoji"] = "🐱", ["data"] = pointer,
            },
        }), timestamp, ct);

        var message = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == timestamp, ct);

        Assert.Equal(new ReceivedSticker(Convert.ToHexStringLower(packId), Convert.ToHexStringLower(packKey), 7, "🐱"), message.Details.Sticker);
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal("image/webp", attachment.ContentType);
        Assert.Equal(image, attachment.Data!.Value.ToArray());
    }

    [Fact]
    public async Task A_view_once_photo_is_marked_so_and_its_file_is_gone_once_handed_out()
    {
        var ct = Timeout();
        var photo = "a photo, once"u8.ToArray();
        var pointer = await mock.UploadAsync(photo, "image/jpeg", "once.jpg", ct);
        var timestamp = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject
        {
            ["timestamp"] = U64(timestamp), ["isViewOnce"] = true, ["attachments"] = new JsonArray(pointer),
        }), timestamp, ct);
        var ordinaryPointer = await mock.UploadAsync("a photo to keep"u8.ToArray(), "image/jpeg", "keep.jpg", ct);
        var ordinaryTimestamp = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject
        {
            ["timestamp"] = U64(ordinaryTimestamp), ["attachments"] = new JsonArray(ordinaryPointer),
        }), ordinaryTimestamp, ct);

        var message = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == timestamp, ct);
        var ordinary = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == ordinaryTimestamp, ct);

        Assert.True(message.Details.ViewOnce);
        Assert.Equal(photo, Assert.Single(message.Attachments).Data!.Value.ToArray());
        Assert.False(ordinary.Details.ViewOnce);
        // Handed out and confirmed: the view-once file is deleted at once; an ordinary one stays for the keep time.
        Assert.Empty(FilesOf(timestamp));
        Assert.Single(FilesOf(ordinaryTimestamp));
    }

    private string[] FilesOf(long timestamp) =>
        Directory.GetFiles(mock.Linked.ConfigFolder, $"{timestamp}-*", SearchOption.AllDirectories);

    [Fact]
    public async Task A_link_preview_a_contact_card_and_a_poll_are_read()
    {
        var ct = Timeout();
        var preview = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject
        {
            ["timestamp"] = U64(preview),
            ["body"] = "see https://signal.org",
            ["preview"] = new JsonArray(new JsonObject
            {
                ["url"] = "https://signal.org", ["title"] = "Signal", ["description"] = "Speak freely", ["date"] = U64(1700000000000),
            }),
            ["contact"] = new JsonArray(new JsonObject
            {
                ["name"] = new JsonObject { ["givenName"] = "Ada", ["familyName"] = "Lovelace" },
                ["number"] = new JsonArray(new JsonObject { ["value"] = "+4366412345678" }),
                ["email"] = new JsonArray(new JsonObject { ["value"] = "ada@example.org" }),
                ["organization"] = "Analytical Engines",
            }),
        }), preview, ct);
        var poll = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject
        {
            ["timestamp"] = U64(poll),
            ["pollCreate"] = new JsonObject { ["question"] = "Lunch?", ["allowMultiple"] = true, ["options"] = new JsonArray("pizza", "salad") },
        }), poll, ct);

        var withPreview = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == preview, ct);
        var withPoll = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == poll, ct);

        Assert.Equal([new ReceivedPreview("https://signal.org", "Signal", "Speak freely", 1700000000000)], withPreview.Details.Previews);
        var card = Assert.Single(withPreview.Details.Contacts);
        Assert.Equal("Ada Lovelace", card.Name);
        Assert.Equal("Analytical Engines", card.Organization);
        Assert.Equal(["+4366412345678"], card.PhoneNumbers);
        Assert.Equal(["ada@example.org"], card.Emails);
        Assert.Equal("Lunch?", withPoll.Details.Poll!.Question);
        Assert.Equal(["pizza", "salad"], withPoll.Details.Poll.Options!);
        Assert.True(withPoll.Details.Poll.AllowMultiple);
    }

    [Fact]
    public async Task A_timer_change_is_an_expiration_update()
    {
        var ct = Timeout();
        var timestamp = mock.NextTimestamp();
        await mock.SendAsync("bob", Data(new JsonObject
        {
            ["timestamp"] = U64(timestamp), ["flags"] = 2, ["expireTimer"] = 604800, ["expireTimerVersion"] = 2,
        }), timestamp, ct);

        var message = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == timestamp, ct);

        Assert.True(message.Details.ExpirationUpdate);
        Assert.Equal(604800, message.Details.ExpiresInSeconds);
        Assert.Null(message.Body);
    }

    [Fact]
    public async Task Typing_started_and_stopped_are_items_of_their_own()
    {
        var ct = Timeout();
        var started = mock.NextTimestamp();
        var stopped = mock.NextTimestamp();
        await mock.SendAsync("alice", new JsonObject
        {
            ["content"] = new JsonObject { ["typingMessage"] = new JsonObject { ["timestamp"] = U64(started), ["action"] = 0 } },
        }, started, ct);
        await mock.SendAsync("alice", new JsonObject
        {
            ["content"] = new JsonObject { ["typingMessage"] = new JsonObject { ["timestamp"] = U64(stopped), ["action"] = 1 } },
        }, stopped, ct);

        var first = await mock.ReceiveAsync<ReceivedTyping>(t => t.Timestamp == started, ct);
        var second = await mock.ReceiveAsync<ReceivedTyping>(t => t.Timestamp == stopped, ct);

        Assert.Equal(new ReceivedTyping(started, mock.NumberOf("alice"), mock.AciOf("alice").ToString(), true, null), first);
        Assert.False(second.Started);
    }

    [Fact]
    public async Task Delivery_and_read_receipts_name_the_messages_they_acknowledge()
    {
        var ct = Timeout();
        var delivered = mock.NextTimestamp();
        var read = mock.NextTimestamp();
        var acknowledged = new[] { mock.NextTimestamp(), mock.NextTimestamp() };
        await mock.SendAsync("bob", new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["receiptMessage"] = new JsonObject { ["type"] = 0, ["timestamp"] = new JsonArray(U64(acknowledged[0]), U64(acknowledged[1])) },
            },
        }, delivered, ct);
        await mock.SendAsync("bob", new JsonObject
        {
            ["content"] = new JsonObject { ["receiptMessage"] = new JsonObject { ["type"] = 1, ["timestamp"] = new JsonArray(U64(acknowledged[0])) } },
        }, read, ct);

        var delivery = await mock.ReceiveAsync<ReceivedReceipt>(r => r.Timestamp == delivered, ct);
        var reading = await mock.ReceiveAsync<ReceivedReceipt>(r => r.Timestamp == read, ct);

        Assert.Equal(ReceiptKind.Delivery, delivery.Kind);
        Assert.Equal(acknowledged, delivery.MessageTimestamps);
        Assert.Equal(mock.NumberOf("bob"), delivery.Sender);
        Assert.Equal(ReceiptKind.Read, reading.Kind);
        Assert.Equal([acknowledged[0]], reading.MessageTimestamps);
    }

    [Fact]
    public async Task A_message_the_phone_sent_to_Alice_is_handed_out_as_a_sent_transcript()
    {
        var ct = Timeout();
        var alice = mock.AciOf("alice");
        var timestamp = mock.NextTimestamp();
        await mock.SendAsync("phone", new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["syncMessage"] = new JsonObject
                {
                    ["content"] = new JsonObject
                    {
                        ["sent"] = new JsonObject
                        {
                            ["destinationServiceIdBinary"] = Aci(alice),
                            ["timestamp"] = U64(timestamp),
                            ["message"] = new JsonObject
                            {
                                ["body"] = "sent from the phone **", ["timestamp"] = U64(timestamp), ["expireTimer"] = 60,
                                ["bodyRanges"] = new JsonArray(new JsonObject { ["start"] = 20, ["length"] = 2, ["associatedValue"] = new JsonObject { ["style"] = 5 } }),
                            },
                        },
                    },
                },
            },
        }, timestamp, ct);

        var sent = await mock.ReceiveAsync<ReceivedSentTranscript>(s => s.Message.Timestamp == timestamp, ct);

        Assert.Equal(mock.NumberOf("alice"), sent.Destination);
        Assert.Equal(alice.ToString(), sent.DestinationServiceId);
        Assert.Equal(mock.OwnNumber, sent.Message.Sender);
        Assert.Equal("sent from the phone **", sent.Message.Body);
        Assert.Equal(60, sent.Message.Details.ExpiresInSeconds);
        Assert.Equal([new ReceivedTextStyle(20, 2, TextStyle.Monospace)], sent.Message.Details.TextStyles);
    }

    [Fact]
    public async Task A_read_sync_from_the_phone_names_the_messages_read()
    {
        var ct = Timeout();
        var alice = mock.AciOf("alice");
        var readMessage = mock.NextTimestamp();
        var timestamp = mock.NextTimestamp();
        await mock.SendAsync("phone", new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["syncMessage"] = new JsonObject
                {
                    ["read"] = new JsonArray(new JsonObject { ["senderAciBinary"] = Aci(alice), ["timestamp"] = U64(readMessage) }),
                },
            },
        }, timestamp, ct);

        var sync = await mock.ReceiveAsync<ReceivedReadSync>(s => s.Timestamp == timestamp, ct);

        Assert.False(sync.Viewed);
        Assert.Equal([new SyncedMessageRef(mock.NumberOf("alice"), alice.ToString(), readMessage)], sync.Messages);
    }

    [Fact]
    public async Task A_sent_transcript_from_a_contact_is_not_shown()
    {
        var ct = Timeout();
        var forged = mock.NextTimestamp();
        await mock.SendAsync("alice", new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["syncMessage"] = new JsonObject
                {
                    ["content"] = new JsonObject
                    {
                        ["sent"] = new JsonObject
                        {
                            ["destinationServiceIdBinary"] = Aci(mock.AciOf("bob")),
                            ["timestamp"] = U64(forged),
                            ["message"] = new JsonObject { ["body"] = "I am your phone", ["timestamp"] = U64(forged) },
                        },
                    },
                },
            },
        }, forged, ct);
        var after = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject { ["body"] = "after", ["timestamp"] = U64(after) }), after, ct);

        await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == after, ct);
        var items = await mock.UnclaimedAsync(ct);

        Assert.DoesNotContain(items, i => i is ReceivedSentTranscript s && s.Message.Timestamp == forged
            || i is ReceivedMessage m && m.Timestamp == forged);
    }

    // The server sends stories only to a socket that asked for them (this account does not), but that is the server's
    // word: a story that comes all the same is dropped, and what follows it is handed out.
    [Fact]
    public async Task A_story_is_dropped_when_the_account_does_not_receive_stories()
    {
        var ct = Timeout();
        var storyAt = mock.NextTimestamp();
        await mock.SendAsync("alice", StoryMockTests.Story(new JsonObject
        {
            ["allowsReplies"] = true,
            ["attachment"] = new JsonObject { ["textAttachment"] = new JsonObject { ["text"] = "a story nobody asked for" } },
        }), storyAt, ct);
        var messageAt = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject { ["body"] = "after the story", ["timestamp"] = U64(messageAt) }), messageAt, ct);

        Assert.Equal("after the story", (await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == messageAt, ct)).Body);
        var unclaimed = await mock.UnclaimedAsync(ct);
        Assert.DoesNotContain(unclaimed, i => i is ReceivedMessage m && (m.Timestamp == storyAt || m.Details.Story is not null));
    }
}
