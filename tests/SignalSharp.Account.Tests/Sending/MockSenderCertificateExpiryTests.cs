using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.Sending;

/// <summary>
/// A daemon that outlives its sender certificate keeps sending sealed messages the contact opens. Against Signal's
/// mock server, made to issue certificates that expire two hours after its clock, with Alice checking each sealed
/// message's certificate against the trust root as Signal's clients do: three hours on, a daemon that kept its
/// certificate would be sending messages Alice drops (shown by moving only the world's clock); once the daemon's
/// clock has moved too, it fetches a fresh certificate and Alice opens the message.
/// </summary>
public sealed class MockSenderCertificateExpiryTests
{
    private static readonly long TwoHours = (long)TimeSpan.FromHours(2).TotalMilliseconds;
    private static readonly long ThreeHours = (long)TimeSpan.FromHours(3).TotalMilliseconds;

    [Fact]
    public async Task An_expiring_certificate_is_replaced_and_the_contact_opens_the_sealed_message()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        var clock = new ShiftedTime();
        await using var linked = await LinkedMock.StartAsync("Alice", new LinkedAccountOptions { Time = clock }, ct);
        var (mock, account) = (linked.Mock, linked.Account);
        var alice = new RecipientTarget(RecipientAddress.Aci(new Aci(Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>()))));
        await mock.CommandAsync("senderCertificates", new JsonObject { ["lifetimeMs"] = TwoHours, ["checkAt"] = new JsonArray("alice") }, ct);

        // Alice's message gives us her profile key, hence her access key: our sends to her are sealed.
        await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "hi" }, ct);
        await using (var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(20), true), ct))
        {
            Assert.Equal("hi", Assert.IsType<ReceivedMessage>(Assert.Single(batch.Items)).Body);
            await batch.ConfirmAsync(ct);
        }

        // Her message is answered with a delivery receipt, itself a sealed message Alice checks: let it arrive first.
        var receipt = (await mock.CommandAsync("waitForReceipt", new JsonObject { ["at"] = "alice" }, ct))!;
        Assert.Equal(0, (int?)receipt["type"] ?? 0);  // DELIVERY

        await account.SendMessageAsync(alice, new OutgoingMessage("sealed while fresh", []), ct);
        Assert.Equal("sealed while fresh", await BodyAtAliceAsync(mock, ct));
        var fresh = await ChecksAsync(mock, ct);
        Assert.Equal((2, 0, 1), (fresh.Accepted, fresh.Rejected, fresh.Issued));

        // Three hours pass for the world but not (yet) for the daemon, which still trusts its certificate: the server
        // takes the message, Alice drops it. This is what a daemon that never refreshes would do from now on.
        await mock.CommandAsync("senderCertificates", new JsonObject
        {
            ["lifetimeMs"] = TwoHours, ["clockOffsetMs"] = ThreeHours, ["checkAt"] = new JsonArray("alice"),
        }, ct);
        await account.SendMessageAsync(alice, new OutgoingMessage("with an expired certificate", []), ct);
        var stale = await ChecksAsync(mock, ct);
        while (stale.Rejected == 0)
        {
            await Task.Delay(50, ct);
            stale = await ChecksAsync(mock, ct);
        }

        Assert.Equal((2, 1, 1), (stale.Accepted, stale.Rejected, stale.Issued));

        // The daemon's clock catches up: its certificate is past expiry, so the next send fetches a new one first.
        clock.Advance(TimeSpan.FromHours(3));
        await account.SendMessageAsync(alice, new OutgoingMessage("sealed after expiry", []), ct);
        Assert.Equal("sealed after expiry", await BodyAtAliceAsync(mock, ct));
        var renewed = await ChecksAsync(mock, ct);
        Assert.Equal((3, 1, 2), (renewed.Accepted, renewed.Rejected, renewed.Issued));

        // And the new one is kept while it is good.
        await account.SendMessageAsync(alice, new OutgoingMessage("sealed again", []), ct);
        Assert.Equal("sealed again", await BodyAtAliceAsync(mock, ct));
        Assert.Equal(2, (await ChecksAsync(mock, ct)).Issued);
    }

    private static async Task<string?> BodyAtAliceAsync(MockServer mock, CancellationToken ct) =>
        (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!["body"]?.GetValue<string>();

    private static async Task<(int Accepted, int Rejected, int Issued)> ChecksAsync(MockServer mock, CancellationToken ct)
    {
        var checks = (await mock.CommandAsync("sealedSenderChecks", new JsonObject { ["at"] = "alice" }, ct))!;
        return (checks["accepted"]!.GetValue<int>(), checks["rejected"]!.GetValue<int>(), checks["issued"]!.GetValue<int>());
    }
}
