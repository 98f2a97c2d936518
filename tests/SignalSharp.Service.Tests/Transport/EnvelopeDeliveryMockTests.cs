using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>
/// Real envelopes from the mock's contacts to a device the harness registered for us: what arrives, that the
/// sender's send completes only with our 200, and that an envelope not acknowledged comes back after a reconnect.
/// </summary>
[Collection(MockServerCollection.Name)]
public sealed class EnvelopeDeliveryMockTests(MockServerFixture fixture)
{
    private static readonly ChatConnectionOptions Fast = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(10),
        Reconnect = new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500)),
    };

    [Fact]
    public async Task Contact_messages_arrive_as_envelopes_and_the_sender_waits_for_our_ack()
    {
        var (mock, device, chat) = await ConnectSecondaryAsync();
        await using var _ = chat;
        await using var pushes = chat.ReadPushesAsync().GetAsyncEnumerator();
        Assert.IsType<QueueEmpty>(await NextAsync(pushes));
        var alice = mock.Contact("alice");

        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var send = mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["to"] = device.Name, ["text"] = "hello 👋", ["timestamp"] = timestamp });
        var delivery = Assert.IsType<EnvelopeDelivery>(await NextAsync(pushes));
        var envelope = delivery.Envelope;
        Assert.Equal(EnvelopeType.PreKeyMessage, envelope.Type);
        Assert.Equal(alice["aci"]!.GetValue<string>(), envelope.SourceServiceId);
        Assert.Equal(1U, envelope.SourceDevice);
        Assert.Equal(device.Aci, envelope.DestinationServiceId);
        Assert.Equal((ulong)timestamp, envelope.ClientTimestamp);
        Assert.NotEmpty(envelope.Content);
        Assert.Null(envelope.ServerGuid); // the mock sends none: deduplicate on sender, device and timestamp

        await Task.Delay(200);
        Assert.False(send.IsCompleted, "the mock's send must wait for our acknowledgement");
        Assert.True(await delivery.AckAsync());
        await send.WaitAsync(TimeSpan.FromSeconds(10));

        var sealedTimestamp = timestamp + 1;
        var sealedSend = mock.CommandAsync("sendText", new JsonObject { ["from"] = "bob", ["to"] = device.Name, ["text"] = "sealed", ["timestamp"] = sealedTimestamp, ["sealed"] = true });
        var sealedDelivery = Assert.IsType<EnvelopeDelivery>(await NextAsync(pushes));
        Assert.Equal(EnvelopeType.UnidentifiedSender, sealedDelivery.Envelope.Type);
        Assert.Null(sealedDelivery.Envelope.SourceServiceId);
        Assert.Equal(device.Aci, sealedDelivery.Envelope.DestinationServiceId);
        await sealedDelivery.AckAsync();
        await sealedSend.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_envelope_not_acknowledged_is_delivered_again_after_a_reconnect_before_queue_empty()
    {
        var (mock, device, chat) = await ConnectSecondaryAsync();
        await using var _ = chat;
        await using var pushes = chat.ReadPushesAsync().GetAsyncEnumerator();
        Assert.IsType<QueueEmpty>(await NextAsync(pushes));

        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var send = mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["to"] = device.Name, ["text"] = "again", ["timestamp"] = timestamp });
        var first = Assert.IsType<EnvelopeDelivery>(await NextAsync(pushes));
        Assert.True(await first.RejectAsync()); // e.g. storing failed: the server must keep it

        chat.DropCurrentSocket();
        var again = Assert.IsType<EnvelopeDelivery>(await NextAsync(pushes));
        Assert.Equal(first.Envelope.ClientTimestamp, again.Envelope.ClientTimestamp);
        Assert.Equal(first.Envelope.Content, again.Envelope.Content);
        Assert.Equal(2, chat.ConnectCount);
        await again.AckAsync();
        Assert.IsType<QueueEmpty>(await NextAsync(pushes));
        await send.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private sealed record Secondary(string Name, string Aci, uint DeviceId, string Password);

    private async Task<(MockServer Mock, Secondary Device, ChatConnection Chat)> ConnectSecondaryAsync()
    {
        var mock = await fixture.GetAsync();
        var owner = (await mock.CommandAsync("createAccount", new JsonObject { ["name"] = "rx-" + Guid.NewGuid().ToString("N")[..8] }))!;
        var created = (await mock.CommandAsync("createSecondary", new JsonObject { ["of"] = owner["name"]!.GetValue<string>() }))!;
        var device = new Secondary(
            created["name"]!.GetValue<string>(),
            created["aci"]!.GetValue<string>(),
            created["deviceId"]!.GetValue<uint>(),
            created["password"]!.GetValue<string>());
        Assert.NotEqual(1U, device.DeviceId);
        var chat = new ChatConnection(MockProfile.For(mock), new ChatCredentials(device.Aci, device.DeviceId, device.Password), Fast);
        await chat.StartAsync();
        return (mock, device, chat);
    }

    private static async Task<ServerPush> NextAsync(IAsyncEnumerator<ServerPush> pushes)
    {
        var next = pushes.MoveNextAsync().AsTask();
        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(15)), "the push stream ended");
        return pushes.Current;
    }
}
