using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.Everyday;

/// <summary>
/// The messages that are not text, as the mock contact's libsignal decrypts them and Signal's protos decode them:
/// a remote delete naming the deleted message, typing started and stopped, read and viewed receipts naming the
/// messages they acknowledge.
/// </summary>
public sealed class ControlSendMockTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
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
        await mock.SendAsync("alice", Data(new JsonObject { ["body"] = "hello", ["timestamp"] = U64(quiet) }), quiet, ct);
        Assert.Equal([Text(quiet)], await ReceiptAtAliceAsync(0, quiet, ct));

        mock.Linked.Account.SetSendReadReceipts(true);
        try
        {
            var read = mock.NextTimestamp();
            await mock.SendAsync("alice", Data(new JsonObject { ["body"] = "read me", ["timestamp"] = U64(read) }), read, ct, isSealed: true);
            Assert.Equal([Text(read)], await ReceiptAtAliceAsync(0, read, ct));
            Assert.Equal([Text(read)], await ReceiptAtAliceAsync(1, read, ct));
        }
        finally
        {
            mock.Linked.Account.SetSendReadReceipts(false);
        }
    }

    [Fact]
    public async Task A_timer_set_by_the_account_goes_out_as_an_update_and_on_every_later_message()
    {
        var ct = Timeout();
        var alice = new RecipientTarget(Address(mock.NumberOf("alice")));

        await mock.Linked.Account.SetExpirationTimerAsync(alice, 3600, ct);
        var update = (await mock.Linked.Mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "alice" }, ct))!["dataMessage"]!;
        await mock.Linked.Account.SendMessageAsync(alice, new OutgoingMessage("this disappears", []), ct);
        var text = (await mock.Linked.Mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "alice" }, ct))!["dataMessage"]!;

        // DataMessage.Flags.EXPIRATION_TIMER_UPDATE is 2; the first change of a conversation is version 2 (1 is "never set").
        Assert.Equal(2, (int)update["flags"]!);
        Assert.Equal(3600, (int)update["expireTimer"]!);
        var version = (int)update["expireTimerVersion"]!;
        Assert.Equal(2, version);
        Assert.Equal("this disappears", (string)text["body"]!);
        Assert.Equal(3600, (int)text["expireTimer"]!);
        Assert.Equal(version, (int)text["expireTimerVersion"]!);

        await mock.Linked.Account.SetExpirationTimerAsync(alice, 0, ct);
        var off = (await mock.Linked.Mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "alice" }, ct))!["dataMessage"]!;
        Assert.Equal(0, (int?)off["expireTimer"] ?? 0);
        Assert.Equal(version + 1, (int)off["expireTimerVersion"]!);
    }

    [Fact]
    public async Task A_timer_a_contact_set_is_carried_by_our_replies_and_an_older_version_does_not_turn_it_back()
    {
        var ct = Timeout();
        var bob = mock.AciOf("bob");
        var changed = mock.NextTimestamp();
        await mock.SendAsync("bob", Data(new JsonObject
        {
            ["flags"] = 2, ["expireTimer"] = 600, ["expireTimerVersion"] = 7, ["timestamp"] = U64(changed),
        }), changed, ct);
        var late = mock.NextTimestamp();
        await mock.SendAsync("bob", Data(new JsonObject
        {
            ["body"] = "sent before the change", ["expireTimer"] = 60, ["expireTimerVersion"] = 6, ["timestamp"] = U64(late),
        }), late, ct);
        // Both arrived (and were acted on) once the later one is handed out.
        await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == late, ct);
        while ((await mock.Linked.Account.Database.ExpirationTimers.GetAsync(bob.ToByteArray(bigEndian: true), ct))?.Version != 7)
        {
            await Task.Delay(50, ct);
        }

        await mock.Linked.Account.SendMessageAsync(new RecipientTarget(Address(bob.ToString())), new OutgoingMessage("ok", []), ct);
        var reply = (await mock.Linked.Mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "bob" }, ct))!["dataMessage"]!;

        Assert.Equal(600, (int)reply["expireTimer"]!);
        Assert.Equal(7, (int)reply["expireTimerVersion"]!);
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
