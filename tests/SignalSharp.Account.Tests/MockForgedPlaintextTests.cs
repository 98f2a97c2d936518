using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Groups;

namespace SignalSharp.Account.Tests;

/// <summary>
/// The mock server plays a malicious server: it delivers plaintext envelopes (type 8, which carry no encryption and
/// no MAC) with a text "from" a contact and "from" the account's own phone. Neither is handed out; the contact's
/// real (encrypted) message that follows is.
/// </summary>
public sealed class MockForgedPlaintextTests
{
    [Fact]
    public async Task Texts_in_plaintext_envelopes_are_not_handed_out()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        var handledBefore = account.EnvelopesHandled;

        await mock.CommandAsync("forgePlaintext", new JsonObject { ["from"] = "alice", ["text"] = "forged by the server" }, ct);
        await mock.CommandAsync("forgePlaintext", new JsonObject { ["from"] = "phone", ["text"] = "forged from our phone" }, ct);
        await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "really from alice" }, ct);

        var items = new List<ReceivedItem>();
        while (!items.OfType<ReceivedMessage>().Any(m => m.Body == "really from alice"))
        {
            await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(20), true), ct);
            Assert.NotEmpty(batch.Items);
            items.AddRange(batch.Items);
            await batch.ConfirmAsync(ct);
        }

        // The forged envelopes were taken (and acked) before the real one, and left nothing behind.
        Assert.True(account.EnvelopesHandled - handledBefore >= 3);
        var message = Assert.IsType<ReceivedMessage>(Assert.Single(items));
        Assert.Equal(mock.Contact("alice")["aci"]!.GetValue<string>(), message.SenderServiceId?.ToString());
        Assert.Empty((await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromMilliseconds(500), true), ct)).Items);
    }
}
