using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;

namespace SignalSharp.Account.Tests.Everyday;

/// <summary>
/// The messages that are not text, as the mock contact's libsignal decrypts them and Signal's protos decode them:
/// a remote delete naming the deleted message, typing started and stopped, read and viewed receipts naming the
/// messages they acknowledge.
/// </summary>
public sealed class ControlSendMockTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static RecipientAddress Address(string text) =>
        RecipientAddress.TryParse(text, out var address) ? address.Value : throw new ArgumentException(text);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_remote_delete_reaches_the_contact_naming_the_deleted_message()
    {
        var ct = Timeout();
        var alice = new RecipientTarget(Address(mock.NumberOf("alice")));
        var original = await mock.Linked.Account.SendMessageAsync(alice, new OutgoingMessage("oops", []), ct);
        await mock.Linked.Mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "alice" }, ct);

        var deleted = await mock.Linked.Account.SendRemoteDeleteAsync(alice, original.Timestamp, ct);
        var received = (await mock.Linked.Mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "alice" }, ct))!["dataMessage"]!;

        Assert.Equal(Text(deleted.Timestamp), (string)received["timestamp"]!);
        Assert.Equal(Text(original.Timestamp), (string)received["delete"]!["targetSentTimestamp"]!);
        Assert.Null(received["body"]);
    }

    [Fact]
    public async Task Typing_started_then_stopped_reach_the_contact_in_order()
    {
        var ct = Timeout();
        await mock.Linked.Mock.CommandAsync("watchTyping", new JsonObject { ["at"] = "bob" }, ct);
        var bob = new RecipientTarget(Address(mock.AciOf("bob").ToString()));

        var started = await mock.Linked.Account.SendTypingAsync(bob, started: true, ct);
        var stopped = await mock.Linked.Account.SendTypingAsync(bob, started: false, ct);
        var first = (await mock.Linked.Mock.CommandAsync("waitForTypingContent", new JsonObject { ["at"] = "bob" }, ct))!;
        var second = (await mock.Linked.Mock.CommandAsync("waitForTypingContent", new JsonObject { ["at"] = "bob" }, ct))!;

        Assert.Equal(mock.OwnAci.ToString(), (string)first["source"]!["aci"]!);
        // Signal's TypingMessage.Action: STARTED 0 (the proto default, so absent on the wire), STOPPED 1.
        Assert.Equal(0, (int?)first["typingMessage"]!["action"] ?? 0);
        Assert.Equal(Text(started.Timestamp), (string)first["typingMessage"]!["timestamp"]!);
        Assert.Equal(1, (int)second["typingMessage"]!["action"]!);
        Assert.Equal(Text(stopped.Timestamp), (string)second["typingMessage"]!["timestamp"]!);
        Assert.Null(first["typingMessage"]!["groupId"]);
    }

    [Fact]
    public async Task Read_and_viewed_receipts_reach_the_contact_with_the_timestamps_they_acknowledge()
    {
        var ct = Timeout();
        var alice = Address(mock.NumberOf("alice"));
        long[] read = [mock.NextTimestamp(), mock.NextTimestamp()];
        long[] viewed = [mock.NextTimestamp()];

        await mock.Linked.Account.SendReceiptAsync(alice, ReceiptKind.Read, read, ct);
        await mock.Linked.Account.SendReceiptAsync(alice, ReceiptKind.Viewed, viewed, ct);

        // Signal's ReceiptMessage.Type: DELIVERY 0, READ 1, VIEWED 2.
        Assert.Equal(read.Select(Text), await ReceiptAtAliceAsync(1, read[0], ct));
        Assert.Equal(viewed.Select(Text), await ReceiptAtAliceAsync(2, viewed[0], ct));
    }

    [Fact]
    public async Task A_contacts_message_is_answered_with_a_delivery_receipt_and_a_read_receipt_when_asked()
    {
        var ct = Timeout();
        var quiet = mock.NextTimestamp();
        await mock.SendAsync("alice", EverydayMockFixture.Data(new JsonObject { ["body"] = "hello", ["timestamp"] = EverydayMockFixture.U64(quiet) }), quiet, ct);
        Assert.Equal([Text(quiet)], await ReceiptAtAliceAsync(0, quiet, ct));

        mock.Linked.Account.SetSendReadReceipts(true);
        try
        {
            var read = mock.NextTimestamp();
            await mock.SendAsync("alice", EverydayMockFixture.Data(new JsonObject { ["body"] = "read me", ["timestamp"] = EverydayMockFixture.U64(read) }), read, ct, isSealed: true);
            Assert.Equal([Text(read)], await ReceiptAtAliceAsync(0, read, ct));
            Assert.Equal([Text(read)], await ReceiptAtAliceAsync(1, read, ct));
        }
        finally
        {
            mock.Linked.Account.SetSendReadReceipts(false);
        }
    }

    /// <summary>The timestamps of the next receipt of <paramref name="type"/> naming <paramref name="first"/> that Alice decrypts (others are passed over).</summary>
    private async Task<IEnumerable<string>> ReceiptAtAliceAsync(int type, long first, CancellationToken ct)
    {
        while (true)
        {
            var receipt = (await mock.Linked.Mock.CommandAsync("waitForReceipt", new JsonObject { ["at"] = "alice" }, ct))!;
            var timestamps = receipt["timestamps"]!.AsArray().Select(t => (string)t!).ToList();
            if (((int?)receipt["type"] ?? 0) == type && timestamps.FirstOrDefault() == Text(first))
            {
                Assert.Equal(mock.OwnAci.ToString(), (string)receipt["source"]!["aci"]!);
                return timestamps;
            }
        }
    }
}
