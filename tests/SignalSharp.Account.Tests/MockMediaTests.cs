using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;
using static SignalSharp.Interop.Testing.MockServerMedia;

namespace SignalSharp.Account.Tests;

/// <summary>
/// Attachments and reactions against Signal's mock server, both ways: what the account sends, the contact's node
/// client downloads, verifies and decrypts (and the phone gets the Sent transcript); what the contact sends arrives
/// through <see cref="LinkedAccount.ReceiveAsync"/> byte for byte, after the downloads.
/// </summary>
public sealed class MockMediaTests(MockMediaFixture fixture) : IClassFixture<MockMediaFixture>
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private LinkedAccount Account => fixture.Account;

    private MockServer Mock => fixture.Mock;

    [Fact]
    public async Task Sent_attachments_of_0_1_and_1MiB_bytes_and_three_in_one_message_arrive_byte_exact()
    {
        using var timeout = new CancellationTokenSource(Budget);
        var ct = timeout.Token;
        var outDir = Directory.CreateTempSubdirectory("signalsharp-media-out-").FullName;
        try
        {
            var png = RandomNumberGenerator.GetBytes(1024 * 1024);
            new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(png, 0);
            var cases = new[]
            {
                (Files: new[] { new OutgoingAttachment(Array.Empty<byte>(), "empty.bin", null) }, Types: new[] { "application/octet-stream" }),
                ([new OutgoingAttachment("x"u8.ToArray(), "one.txt", null)], ["text/plain"]),
                // Magic bytes win over the file name's extension.
                ([new OutgoingAttachment(png, "picture.dat", null)], ["image/png"]),
                ([new OutgoingAttachment("three"u8.ToArray(), "a.txt", null), new OutgoingAttachment(png, null, null),
                    new OutgoingAttachment(Array.Empty<byte>(), "b", "application/x-custom")],
                    ["text/plain", "image/png", "application/x-custom"]),
            };
            var recipient = new RecipientTarget(RecipientAddress.PhoneNumber(fixture.AliceNumber));
            foreach (var (files, types) in cases)
            {
                var text = files.Length > 1 ? "three in one ✓" : null;
                var sent = await Account.SendMessageAsync(recipient, new OutgoingMessage(text, files), ct);
                var atAlice = await Mock.WaitForAttachmentMessageAsync("alice", outDir, ct);
                Assert.Equal(sent.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), atAlice["timestamp"]!.ToString());
                // The mock reports an absent body as "".
                Assert.Equal(text ?? "", atAlice["body"]?.GetValue<string>() ?? "");
                var arrived = atAlice["attachments"]!.AsArray();
                Assert.Equal(files.Length, arrived.Count);
                for (var i = 0; i < files.Length; i++)
                {
                    var a = arrived[i]!;
                    Assert.Null(a["error"]);
                    Assert.Equal(files[i].Data.Length, a["length"]!.GetValue<int>());
                    Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(files[i].Data.Span)), a["sha256"]!.GetValue<string>());
                    Assert.Equal(files[i].FileName, a["fileName"]?.GetValue<string>());
                    Assert.Equal(types[i], a["contentType"]!.GetValue<string>());
                    Assert.Equal(3, a["cdnNumber"]!.GetValue<int>());
                }

                // The phone learns of the send with the same pointers.
                var transcript = await Mock.WaitForSentTranscriptAsync(sent.Timestamp, ct);
                Assert.Equal(fixture.AliceNumber, transcript["destinationE164"]!.GetValue<string>());
                Assert.Equal(files.Select(f => f.FileName), transcript["attachments"]!.AsArray().Select(a => a!["fileName"]?.GetValue<string>()));
            }
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public async Task Received_attachments_of_0_1_and_1MiB_bytes_and_three_in_one_message_are_handed_out_byte_exact()
    {
        using var timeout = new CancellationTokenSource(Budget);
        var ct = timeout.Token;
        var big = RandomNumberGenerator.GetBytes(1024 * 1024);
        var cases = new[]
        {
            new[] { new ContactAttachment(Data: [], FileName: "empty.bin") },
            [new ContactAttachment(Data: [0x42], FileName: "one.txt", ContentType: "text/plain")],
            [new ContactAttachment(Data: big, FileName: "big.bin")],
            [new ContactAttachment(Data: "first"u8.ToArray(), FileName: "1.txt"), new ContactAttachment(Data: big, FileName: "2.bin"),
                new ContactAttachment(Data: [], FileName: "3.bin")],
        };
        foreach (var files in cases)
        {
            var text = files.Length > 1 ? "three for you 📎" : null;
            var timestamp = await Mock.SendAttachmentsAsync("alice", files, text, cancellationToken: ct);
            var message = Assert.IsType<ReceivedMessage>(Assert.Single(await ReceiveAsync(1, ignoreAttachments: false, ct)));
            Assert.Equal(timestamp, message.Timestamp);
            Assert.Equal(fixture.AliceNumber, message.Sender);
            Assert.Equal(text, message.Body);
            Assert.Equal(files.Length, message.Attachments.Count);
            for (var i = 0; i < files.Length; i++)
            {
                var got = message.Attachments[i];
                Assert.Equal(files[i].Data, got.Data!.Value.ToArray());
                Assert.Equal(files[i].FileName, got.FileName);
                Assert.Equal(files[i].Data!.Length, got.Size);
                Assert.Equal(files[i].ContentType ?? "application/octet-stream", got.ContentType);
            }
        }

        // Kept under the account's attachments folder, private to the user.
        var folder = Receiving.AttachmentDownloader.FolderFor(Account.Database.DirectoryPath);
        var kept = Directory.GetFiles(folder);
        Assert.True(kept.Length >= 6, string.Join(", ", kept));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in kept)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        // ignoreAttachments: the metadata arrives, the bytes do not.
        await Mock.SendAttachmentsAsync("alice", [new ContactAttachment(Data: [1, 2, 3], FileName: "skipped.bin")], "no bytes please", cancellationToken: ct);
        var light = Assert.IsType<ReceivedMessage>(Assert.Single(await ReceiveAsync(1, ignoreAttachments: true, ct)));
        var only = Assert.Single(light.Attachments);
        Assert.Null(only.Data);
        Assert.Equal("skipped.bin", only.FileName);
        Assert.Equal(3, only.Size);
    }

    [Fact]
    public async Task A_corrupted_download_is_an_error_item_the_text_still_arrives_and_the_account_keeps_going()
    {
        using var timeout = new CancellationTokenSource(Budget);
        var ct = timeout.Token;
        var timestamp = await Mock.SendAttachmentsAsync("alice",
            [new ContactAttachment(Data: "fine"u8.ToArray(), FileName: "ok.txt"), new ContactAttachment(Data: RandomNumberGenerator.GetBytes(5000), FileName: "bad.bin", Corrupt: true)],
            "one of these is broken", cancellationToken: ct);
        var items = await ReceiveAsync(2, ignoreAttachments: false, ct);
        var message = Assert.Single(items.OfType<ReceivedMessage>());
        Assert.Equal(timestamp, message.Timestamp);
        Assert.Equal("one of these is broken", message.Body);
        var ok = Assert.Single(message.Attachments);
        Assert.Equal("ok.txt", ok.FileName);
        Assert.Equal("fine"u8.ToArray(), ok.Data!.Value.ToArray());
        var failure = Assert.Single(items.OfType<ReceiveFailure>());
        Assert.Equal(ReceiveFailureKind.MessageError, failure.Kind);
        Assert.Contains("bad.bin", failure.ErrorMessage);
        Assert.Contains("digest", failure.ErrorMessage, StringComparison.OrdinalIgnoreCase);

        // Only a broken attachment and no text: just the error item.
        await Mock.SendAttachmentsAsync("alice", [new ContactAttachment(Data: [9, 9, 9], FileName: "alone.bin", Corrupt: true)], cancellationToken: ct);
        Assert.IsType<ReceiveFailure>(Assert.Single(await ReceiveAsync(1, ignoreAttachments: false, ct)));

        await Mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "still there?" }, ct);
        var next = Assert.IsType<ReceivedMessage>(Assert.Single(await ReceiveAsync(1, ignoreAttachments: false, ct)));
        Assert.Equal("still there?", next.Body);
    }

    [Fact]
    public async Task A_blob_the_CDN_never_got_is_retried_then_an_error_item_beside_the_text()
    {
        using var timeout = new CancellationTokenSource(Budget);
        var ct = timeout.Token;
        await Mock.SendAttachmentsAsync("alice", [new ContactAttachment(Data: [5, 5], FileName: "gone.bin", Missing: true)], "where is it?", cancellationToken: ct);
        var items = await ReceiveAsync(2, ignoreAttachments: false, ct);
        var message = Assert.Single(items.OfType<ReceivedMessage>());
        Assert.Equal("where is it?", message.Body);
        Assert.Empty(message.Attachments);
        var failure = Assert.Single(items.OfType<ReceiveFailure>());
        Assert.Contains("gone.bin", failure.ErrorMessage);
        Assert.Contains("404", failure.ErrorMessage);
    }

    /// <summary>Stores <paramref name="data"/> on the mock's CDN and holds a message from Alice pointing at it, as the receiver does.</summary>
    private async Task HoldOnCdnAsync(Store.AccountDatabase db, byte[] data, string fileName, string? contentType, string body, ulong timestamp, CancellationToken ct)
    {
        var stored = await Mock.StoreAttachmentAsync(data, cancellationToken: ct);
        var pointer = new Proto.AttachmentPointer
        {
            CdnNumber = 3,
            CdnKey = stored["cdnKey"]!.GetValue<string>(),
            Key = Google.Protobuf.ByteString.FromBase64(stored["key"]!.GetValue<string>()),
            Digest = Google.Protobuf.ByteString.FromBase64(stored["digest"]!.GetValue<string>()),
            Size = (uint)data.Length,
            FileName = fileName,
        };
        if (contentType is not null)
        {
            pointer.ContentType = contentType;
        }

        var item = new Store.Inbox.InboxItem
        {
            Timestamp = timestamp,
            ServerTimestamp = timestamp + 5,
            Sender = new Store.Inbox.InboxSender(Guid.Parse(fixture.AliceAci), fixture.AliceNumber, 1),
            Body = body,
        };
        await using var tx = await db.BeginTransactionAsync(ct);
        Assert.True(await Receiving.AttachmentDownloader.HoldAsync(tx, item, [pointer], ct));
        await tx.CommitAsync(ct);
    }

    [Fact]
    public async Task An_attachment_the_folder_cannot_take_stays_pending_with_a_notice_and_arrives_once_the_folder_works()
    {
        using var timeout = new CancellationTokenSource(Budget);
        var ct = timeout.Token;
        var directory = Directory.CreateTempSubdirectory("signalsharp-pending-").FullName;
        try
        {
            await using var db = await Store.AccountDatabase.OpenAsync(directory, ct);
            var data = RandomNumberGenerator.GetBytes(20_000);
            await HoldOnCdnAsync(db, data, "later.bin", null, "with a file", 1_732_530_000_100, ct);

            await using var downloader = new Receiving.AttachmentDownloader(db, fixture.Profile, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
                retryDelay: TimeSpan.FromMilliseconds(50));
            // The folder cannot take files (a file in its place: unwritable even for root, unlike a chmod).
            var folder = Receiving.AttachmentDownloader.FolderFor(directory);
            Directory.Delete(folder);
            await File.WriteAllBytesAsync(folder, [], ct);
            downloader.Start();

            await db.Inbox.WaitForItemsAsync(ct);
            var notice = Assert.Single(await db.Inbox.TakeAsync(10, ct));
            Assert.Equal(Store.Inbox.InboxStatus.MessageError, notice.StatusCode);
            Assert.Contains("pending", notice.ErrorMessage!, StringComparison.Ordinal);
            Assert.Contains("later.bin", notice.ErrorMessage!, StringComparison.Ordinal);
            Assert.Equal(1, await db.HeldMessages.CountAsync(ct));

            File.Delete(folder);
            Directory.CreateDirectory(folder);
            await db.Inbox.WaitForItemsAsync(ct);
            var taken = Assert.Single(await db.Inbox.TakeAsync(10, ct));
            Assert.Equal("with a file", taken.Body);
            var attachment = Assert.Single(taken.Attachments);
            Assert.Equal("later.bin", attachment.FileName);
            Assert.Equal(data, await File.ReadAllBytesAsync(attachment.LocalPath!, ct));
            Assert.Equal(0, await db.HeldMessages.CountAsync(ct));
        }
        finally
        {
            if (File.Exists(Receiving.AttachmentDownloader.FolderFor(directory)))
            {
                File.Delete(Receiving.AttachmentDownloader.FolderFor(directory));
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_message_held_by_an_earlier_run_is_completed_when_the_downloader_starts()
    {
        using var timeout = new CancellationTokenSource(Budget);
        var ct = timeout.Token;
        var directory = Directory.CreateTempSubdirectory("signalsharp-held-").FullName;
        try
        {
            await using var db = await Store.AccountDatabase.OpenAsync(directory, ct);
            var data = RandomNumberGenerator.GetBytes(70_000);
            await HoldOnCdnAsync(db, data, "resumed.bin", "application/octet-stream", "left over", 1_732_530_000_000, ct);

            // A fresh start: nothing wakes the downloader but its own first look at the held messages.
            await using var downloader = new Receiving.AttachmentDownloader(db, fixture.Profile, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            downloader.Start();
            await db.Inbox.WaitForItemsAsync(ct);
            var taken = Assert.Single(await db.Inbox.TakeAsync(10, ct));
            Assert.Equal("left over", taken.Body);
            var attachment = Assert.Single(taken.Attachments);
            Assert.Equal("resumed.bin", attachment.FileName);
            Assert.Equal(data, await File.ReadAllBytesAsync(attachment.LocalPath!, ct));
            Assert.Equal(0, await db.HeldMessages.CountAsync(ct));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_backlog_of_big_attachments_is_handed_out_over_several_answers()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await Groups.LinkedMock.StartAsync("Alice", new LinkedAccountOptions { MaxAttachmentBytesPerReceive = 1_000_000 }, ct);
        var account = linked.Account;
        var sent = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            sent.Add(await linked.Mock.SendAttachmentsAsync("alice", [new ContactAttachment(Data: RandomNumberGenerator.GetBytes(600_000), FileName: $"{i}.bin")], cancellationToken: ct));
        }

        while (await account.Database.Inbox.CountPendingAsync(ct) < 3)
        {
            await Task.Delay(50, ct);
        }

        var answers = new List<IReadOnlyList<ReceivedItem>>();
        while (answers.Sum(a => a.Count) < 3)
        {
            await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(5), false), ct);
            await batch.ConfirmAsync(ct);
            answers.Add(batch.Items);
        }

        // 600 kB each against a 1 MB budget: one per answer, none lost, none twice. (Their inbox order is the
        // order their downloads finished, which runs up to three at once.)
        Assert.All(answers, a => Assert.Single(a));
        Assert.Equal(sent.Order(), answers.Select(a => ((ReceivedMessage)a[0]).Timestamp).Order());
    }

    [Fact]
    public async Task Reactions_both_ways_with_remove_and_multi_codepoint_emoji()
    {
        using var timeout = new CancellationTokenSource(Budget);
        var ct = timeout.Token;
        var alice = new RecipientTarget(RecipientAddress.PhoneNumber(fixture.AliceNumber));
        var ownNumber = Account.Record.Number!;

        // Out: to a message of Alice's (author by number, then by ACI) and to one of our own (author: our number).
        var hers = await Mock.SendAttachmentsAsync("alice", [new ContactAttachment(Data: [7], FileName: "react.bin")], "react to me", cancellationToken: ct);
        Assert.Single(await ReceiveAsync(1, ignoreAttachments: true, ct));
        var mine = await Account.SendMessageAsync(alice, new OutgoingMessage("mine", []), ct);
        Assert.Equal("mine", (await Mock.WaitForDataMessageAsync("alice", ct))["body"]!.GetValue<string>());
        var outgoing = new[]
        {
            new OutgoingReaction("👍🏽", RecipientAddress.PhoneNumber(fixture.AliceNumber), hers, false),
            new OutgoingReaction("🏳️‍🌈", RecipientAddress.Aci(Aci.Parse(fixture.AliceAci)), hers, false),
            new OutgoingReaction("👍🏽", RecipientAddress.PhoneNumber(fixture.AliceNumber), hers, true),
            new OutgoingReaction("😀", RecipientAddress.PhoneNumber(ownNumber), mine.Timestamp, false),
        };
        foreach (var reaction in outgoing)
        {
            var sent = await Account.SendReactionAsync(alice, reaction, ct);
            var atAlice = await Mock.WaitForDataMessageAsync("alice", ct);
            Assert.Equal(sent.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), atAlice["timestamp"]!.ToString());
            var r = atAlice["reaction"]!;
            Assert.Equal(reaction.Emoji, r["emoji"]!.GetValue<string>());
            Assert.Equal(reaction.Remove, r["remove"]!.GetValue<bool>());
            var expectedAuthor = reaction.TargetTimestamp == hers ? fixture.AliceAci : Account.Record.Aci.ToString();
            Assert.Equal(expectedAuthor, r["targetAuthorAci"]!.GetValue<string>());
            Assert.Equal(expectedAuthor, r["targetAuthorAciBinary"]!.GetValue<string>());
            Assert.Equal(reaction.TargetTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), r["targetSentTimestamp"]!.GetValue<string>());
            var transcript = await Mock.WaitForSentTranscriptAsync(sent.Timestamp, ct);
            Assert.Equal(reaction.Emoji, transcript["reaction"]!["emoji"]!.GetValue<string>());
        }

        // An author the account cannot reach is INVALID_NUMBER (UnknownRecipientException), and nothing is sent.
        await Assert.ThrowsAsync<UnknownRecipientException>(() =>
            Account.SendReactionAsync(alice, new OutgoingReaction("👍", RecipientAddress.PhoneNumber("+4366400000001"), hers, false), ct));

        // In: Alice reacts to our message and takes it back; the author comes out as our number.
        var incoming = new[] { ("👍🏽", false), ("🏳️‍🌈", false), ("👍🏽", true) };
        foreach (var (emoji, remove) in incoming)
        {
            var timestamp = await Mock.SendReactionAsync("alice", emoji, Account.Record.Aci.ToString(), mine.Timestamp, remove, ct);
            var message = Assert.IsType<ReceivedMessage>(Assert.Single(await ReceiveAsync(1, ignoreAttachments: false, ct)));
            Assert.Equal(timestamp, message.Timestamp);
            Assert.Equal(fixture.AliceNumber, message.Sender);
            Assert.Null(message.Body);
            Assert.Equal(new ReceivedReaction(emoji, ownNumber, mine.Timestamp, remove), message.Reaction);
        }

        // ... and to her own message: the author is her number.
        await Mock.SendReactionAsync("alice", "🎉", fixture.AliceAci, hers, cancellationToken: ct);
        var own = Assert.IsType<ReceivedMessage>(Assert.Single(await ReceiveAsync(1, ignoreAttachments: false, ct)));
        Assert.Equal(new ReceivedReaction("🎉", fixture.AliceNumber, hers, false), own.Reaction);
    }

    /// <summary>Collects exactly <paramref name="count"/> items (a message is handed out only once its downloads are done).</summary>
    private async Task<List<ReceivedItem>> ReceiveAsync(int count, bool ignoreAttachments, CancellationToken ct)
    {
        var items = new List<ReceivedItem>();
        while (items.Count < count)
        {
            await using var batch = await Account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(20), ignoreAttachments), ct);
            Assert.NotEmpty(batch.Items);
            items.AddRange(batch.Items);
            await batch.ConfirmAsync(ct);
        }

        Assert.Equal(count, items.Count);
        return items;
    }
}
