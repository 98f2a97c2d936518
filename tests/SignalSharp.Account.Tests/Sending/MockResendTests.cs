using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Protocol;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Tests.Sending;

/// <summary>
/// A contact's device that could not decrypt our 1:1 message answers, as Signal's clients do, with a resend request
/// (libsignal's DecryptionErrorMessage in a plaintext envelope). Against the mock server, whose contact builds that
/// request from the undelivered ciphertext: we archive the broken session and send the message again from the send
/// log, which the contact decrypts; when the request names a message we no longer have, a null message rebuilds the
/// session.
/// </summary>
public sealed class MockResendTests
{
    [Fact]
    public async Task A_resend_request_gets_the_message_again_and_an_unknown_one_a_null_message()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice", ct);
        var mock = linked.Mock;
        var account = linked.Account;
        var alice = RecipientAddress.Aci(new Aci(Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>())));
        var aliceAddress = new ProtocolAddress(mock.Contact("alice")["aci"]!.GetValue<string>(), 1);
        var sessions = account.Database.ProtocolStores(AccountIdentity.Aci).Sessions;

        await account.SendMessageAsync(new RecipientTarget(alice), new OutgoingMessage("before", []), ct);
        Assert.Equal("before", (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!["body"]!.GetValue<string>());
        Assert.Equal(0, (await sessions.LoadSessionAsync(aliceAddress, ct))!.ArchivedStateCount);

        // Alice cannot decrypt the next one and asks for it again: it arrives, with its original timestamp.
        await mock.CommandAsync("failNextDecryption", new JsonObject { ["at"] = "alice" }, ct);
        var lost = await account.SendMessageAsync(new RecipientTarget(alice), new OutgoingMessage("lost once", []), ct);
        var failure = (await mock.CommandAsync("waitForFailedDecryption", new JsonObject { ["at"] = "alice" }, ct))!;
        Assert.Equal(lost.Timestamp, failure["timestamp"]!.GetValue<long>());
        var again = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
        Assert.Equal("lost once", again["body"]!.GetValue<string>());
        Assert.Equal(lost.Timestamp.ToString(CultureInfo.InvariantCulture), again["timestamp"]!.ToString());
        await WaitForAsync(() => account.ResendRequestsAnswered == 1, ct);

        // The session the request named was archived and a new one built from Alice's pre-keys carried the resend.
        Assert.Equal(1, (await sessions.LoadSessionAsync(aliceAddress, ct))!.ArchivedStateCount);

        // A request for a message no longer in the log: the session is archived again and a null message starts the
        // new one, which the next message uses.
        await mock.CommandAsync("failNextDecryption", new JsonObject { ["at"] = "alice", ["namedTimestamp"] = 1 }, ct);
        await account.SendMessageAsync(new RecipientTarget(alice), new OutgoingMessage("never seen", []), ct);
        await mock.CommandAsync("waitForFailedDecryption", new JsonObject { ["at"] = "alice" }, ct);
        await mock.CommandAsync("waitForNullMessage", new JsonObject { ["at"] = "alice" }, ct);
        await WaitForAsync(() => account.ResendRequestsAnswered == 2, ct);
        Assert.Equal(2, (await sessions.LoadSessionAsync(aliceAddress, ct))!.ArchivedStateCount);
        await account.SendMessageAsync(new RecipientTarget(alice), new OutgoingMessage("after", []), ct);
        Assert.Equal("after", (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!["body"]!.GetValue<string>());
    }

    // A send lets go of the protocol gate while its request is on the wire, so a resend request can be answered before
    // the server answered the send: the message must already be in the send log then, or a null message would go
    // out in its place.
    [Fact]
    public async Task A_resend_request_that_arrives_before_the_send_is_answered_gets_the_message_again()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice", ct);
        var mock = linked.Mock;
        var account = linked.Account;
        var alice = RecipientAddress.Aci(new Aci(Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>())));
        await account.SendMessageAsync(new RecipientTarget(alice), new OutgoingMessage("before", []), ct);
        Assert.Equal("before", (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!["body"]!.GetValue<string>());

        await mock.CommandAsync("failNextDecryption", new JsonObject { ["at"] = "alice", ["holdAnswer"] = true }, ct);
        var lost = await account.SendMessageAsync(new RecipientTarget(alice), new OutgoingMessage("asked for early", []), ct);
        Assert.Equal(lost.Timestamp, (await mock.CommandAsync("waitForFailedDecryption", new JsonObject { ["at"] = "alice" }, ct))!["timestamp"]!.GetValue<long>());
        var again = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
        Assert.Equal("asked for early", again["body"]!.GetValue<string>());
        Assert.Equal(lost.Timestamp.ToString(CultureInfo.InvariantCulture), again["timestamp"]!.ToString());
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(50, ct);
        }
    }
}
