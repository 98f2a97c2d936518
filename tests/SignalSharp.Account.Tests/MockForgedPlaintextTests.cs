using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Protocol;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Tests;

/// <summary>
/// The mock server plays a malicious server: it delivers plaintext envelopes (type 8, which carry no encryption and
/// no MAC) with a text "from" a contact and "from" the account's own phone. Neither is handed out; the contact's
/// real (encrypted) message that follows is. A sender key and a contact sync take effect only when they came through
/// a session, the contact sync only from our own account; each forgery is shown beside the same content sent for real.
/// (That a real resend request, itself a plaintext envelope, is still answered is <see cref="Sending.MockResendTests"/>.)
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

    [Fact]
    public async Task Sender_keys_and_contact_syncs_take_effect_only_through_a_session_and_contacts_only_from_our_account()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        var aliceAddress = new ProtocolAddress(mock.Contact("alice")["aci"]!.GetValue<string>(), 1);
        var senderKeys = account.Database.ProtocolStores(AccountIdentity.Aci).SenderKeys;

        // A sender key "from Alice" made up by the server is not stored; the same message from Alice's session is.
        var forgedKey = await DistributionAsync(mock, plaintext: true, ct);
        Assert.Null(await senderKeys.LoadSenderKeyAsync(aliceAddress, forgedKey, ct));
        var realKey = await DistributionAsync(mock, plaintext: false, ct);
        Assert.NotNull(await senderKeys.LoadSenderKeyAsync(aliceAddress, realKey, ct));

        // A contact sync "from our phone" made up by the server, and one Alice sends through her session (she is not
        // our account), change no contact; the one our phone sends through its session does.
        await ContactSyncAsync(mock, "phone", plaintext: true, "+15550100001", "Forged by the server", ct);
        await ContactSyncAsync(mock, "alice", plaintext: false, "+15550100002", "Alice speaking for us", ct);
        await ContactSyncAsync(mock, "phone", plaintext: false, "+15550100003", "From our phone", ct);
        Store.Contacts.Contact? real = null;
        while (real is null)
        {
            real = await account.Database.Contacts.GetByE164Async("+15550100003", ct);
            await Task.Delay(real is null ? 100 : 0, ct);
        }

        Assert.Equal("From our phone", real.Name);
        Assert.Null(await account.Database.Contacts.GetByE164Async("+15550100001", ct));
        Assert.Null(await account.Database.Contacts.GetByE164Async("+15550100002", ct));

        // None of it was anything to hand out.
        Assert.Empty((await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromMilliseconds(500), true), ct)).Items);
    }

    private static async Task<Guid> DistributionAsync(Interop.Testing.MockServer mock, bool plaintext, CancellationToken ct)
    {
        var result = await mock.CommandAsync("deliverSenderKeyDistribution", new JsonObject { ["from"] = "alice", ["plaintext"] = plaintext }, ct);
        return Guid.Parse(result!["distributionId"]!.GetValue<string>());
    }

    private static Task ContactSyncAsync(Interop.Testing.MockServer mock, string from, bool plaintext, string number, string name, CancellationToken ct) =>
        mock.CommandAsync("deliverContactSync", new JsonObject
        {
            ["from"] = from,
            ["plaintext"] = plaintext,
            ["contacts"] = new JsonArray(new JsonObject { ["number"] = number, ["name"] = name }),
        }, ct);
}
