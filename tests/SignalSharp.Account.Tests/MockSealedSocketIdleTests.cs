using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Service.Transport;

namespace SignalSharp.Account.Tests;

/// <summary>
/// The sealed-sender (unauthenticated) socket against the mock server: opened by the first sealed send, closed after
/// <see cref="LinkedAccountOptions.UnauthenticatedIdleClose"/> without one, and opened again by the next sealed send,
/// which the contact's libsignal decrypts like the first.
/// </summary>
public sealed class MockSealedSocketIdleTests
{
    [Fact]
    public async Task The_sealed_socket_closes_when_idle_and_the_next_sealed_send_opens_it_again()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        var options = LinkedAccountOptions.Default with { UnauthenticatedIdleClose = TimeSpan.FromMilliseconds(500) };
        await using var linked = await LinkedMock.StartAsync("Alice", options, ct);
        var account = linked.Account;
        var mock = linked.Mock;
        var alice = Aci.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());

        // Alice's message carries her profile key, so sends to her go sealed from then on.
        await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "hello" }, ct);
        await using (var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(10), true), ct))
        {
            Assert.Equal("hello", Assert.IsType<ReceivedMessage>(Assert.Single(batch.Items)).Body);
            await batch.ConfirmAsync(ct);
        }

        // Her message is acknowledged with a delivery receipt, sealed too (a quiet send, not counted in SealedSends), on
        // its own schedule: let it go out and the socket it opened go idle, then count the connects from there.
        while (account.ReceiptsSent < 1 || account.UnauthenticatedSocket.State is not (null or ChatConnectionState.Idle))
        {
            await Task.Delay(50, ct);
        }

        var opened = account.UnauthenticatedSocket.Connects;
        for (var i = 1; i <= 2; i++)
        {
            await account.SendMessageAsync(new RecipientTarget(RecipientAddress.Aci(alice)), new OutgoingMessage($"sealed {i}", []), ct);
            var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
            Assert.Equal($"sealed {i}", atAlice["body"]!.GetValue<string>());
            Assert.Equal(i, account.SealedSends);
            Assert.Equal(opened + i, account.UnauthenticatedSocket.Connects);
            while (account.UnauthenticatedSocket.State != ChatConnectionState.Idle)
            {
                await Task.Delay(50, ct);
            }
        }

        // Idle, it stays closed: nothing reconnects it until a send needs it.
        await Task.Delay(options.UnauthenticatedIdleClose * 2, ct);
        Assert.Equal((ChatConnectionState.Idle, opened + 2), account.UnauthenticatedSocket);
    }
}
