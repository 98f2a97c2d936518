using Google.Protobuf;
using SignalSharp.Service.Proto;
using SignalSharp.Service.Tests.Support;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>How pushes that the mock cannot produce are surfaced: PNI destinations, broken envelopes, unknown paths.</summary>
public sealed class ServerPushTests : IAsyncLifetime
{
    private readonly FakeChatServer server = new();
    private ChatConnection chat = null!;
    private FakeWebSocketPeer peer = null!;

    public async Task InitializeAsync()
    {
        chat = new ChatConnection(server.ConnectAsync, null, new ChatConnectionOptions { KeepAliveInterval = TimeSpan.Zero }, null);
        await chat.StartAsync();
        peer = await server.NextPeerAsync();
    }

    public async Task DisposeAsync()
    {
        await chat.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Pushes_are_classified_and_only_envelopes_wait_for_the_consumer()
    {
        var aci = Guid.NewGuid();
        var pni = Guid.NewGuid();
        var envelope = new Envelope
        {
            Type = Envelope.Types.Type.DoubleRatchet,
            SourceServiceIdBinary = ByteString.CopyFrom(aci.ToByteArray(bigEndian: true)),
            SourceDeviceId = 3,
            DestinationServiceIdBinary = ByteString.CopyFrom([0x01, .. pni.ToByteArray(bigEndian: true)]),
            ClientTimestamp = 1234,
            ServerTimestamp = 1240,
            Content = ByteString.CopyFrom(1, 2, 3),
            Urgent = true,
            ServerGuidBinary = ByteString.CopyFrom(aci.ToByteArray(bigEndian: true)),
        };
        await peer.SendRequestAsync(1, "PUT", "/v1/unknown");
        await peer.SendRequestAsync(2, "PUT", "/api/v1/message", envelope.ToByteArray());
        await peer.SendRequestAsync(3, "PUT", "/api/v1/message", [0x0A, 0xFF]); // field 1 with a truncated length
        await peer.SendRequestAsync(4, "PUT", "/api/v1/queue/empty");

        await using var pushes = chat.ReadPushesAsync().GetAsyncEnumerator();
        Assert.True(await pushes.MoveNextAsync());
        var delivery = Assert.IsType<EnvelopeDelivery>(pushes.Current);
        Assert.Equal(EnvelopeType.DoubleRatchet, delivery.Envelope.Type);
        Assert.Equal(aci.ToString(), delivery.Envelope.SourceServiceId);
        Assert.Equal("PNI:" + pni, delivery.Envelope.DestinationServiceId);
        Assert.Equal((3U, 1234UL, 1240UL, true), (delivery.Envelope.SourceDevice, delivery.Envelope.ClientTimestamp, delivery.Envelope.ServerTimestamp, delivery.Envelope.Urgent));
        Assert.Equal([1, 2, 3], delivery.Envelope.Content);
        Assert.Equal(aci.ToString(), delivery.Envelope.ServerGuid);

        Assert.True(await pushes.MoveNextAsync());
        var malformed = Assert.IsType<MalformedDelivery>(pushes.Current);
        Assert.Contains("Envelope", malformed.Reason, StringComparison.Ordinal);

        Assert.True(await pushes.MoveNextAsync());
        Assert.IsType<QueueEmpty>(pushes.Current);

        // The unknown path and queue-empty were answered by the reader; envelopes only when the consumer says so.
        var unknownAnswer = await peer.ReceiveAsync();
        Assert.Equal((1UL, 404U), (unknownAnswer.Response.Id, unknownAnswer.Response.Status));
        var queueEmptyAnswer = await peer.ReceiveAsync();
        Assert.Equal((4UL, 200U), (queueEmptyAnswer.Response.Id, queueEmptyAnswer.Response.Status));
        await malformed.AckAsync();
        await delivery.AckAsync();
        var malformedAnswer = await peer.ReceiveAsync();
        var deliveryAnswer = await peer.ReceiveAsync();
        Assert.Equal((3UL, 200U), (malformedAnswer.Response.Id, malformedAnswer.Response.Status));
        Assert.Equal((2UL, 200U), (deliveryAnswer.Response.Id, deliveryAnswer.Response.Status));
    }
}
