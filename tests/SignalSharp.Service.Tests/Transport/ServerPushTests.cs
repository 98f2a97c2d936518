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

    [Fact]
    public async Task Batches_take_what_is_waiting_up_to_the_limit_in_order_and_never_wait_to_fill_up()
    {
        static byte[] EnvelopeAt(ulong timestamp) => new Envelope
        {
            Type = Envelope.Types.Type.DoubleRatchet, SourceServiceIdBinary = ByteString.CopyFrom(Guid.NewGuid().ToByteArray(bigEndian: true)),
            SourceDeviceId = 1, ClientTimestamp = timestamp, ServerTimestamp = timestamp, Content = ByteString.CopyFrom(1),
        }.ToByteArray();

        for (ulong i = 1; i <= 5; i++)
        {
            await peer.SendRequestAsync(i, "PUT", "/api/v1/message", EnvelopeAt(i));
        }

        await peer.SendRequestAsync(6, "PUT", "/v1/unknown");
        // All six are queued on our side before the first batch is taken.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (chat.IncomingRequests.Count < 6)
        {
            await Task.Delay(10, timeout.Token);
        }

        await using var batches = chat.ReadPushBatchesAsync(3).GetAsyncEnumerator();
        Assert.True(await batches.MoveNextAsync());
        Assert.Equal([1UL, 2, 3], batches.Current.Select(p => Assert.IsType<EnvelopeDelivery>(p).Envelope.ClientTimestamp));
        Assert.True(await batches.MoveNextAsync());
        // The rest, short of the limit, at once; the unknown request is answered and left out.
        Assert.Equal([4UL, 5], batches.Current.Select(p => Assert.IsType<EnvelopeDelivery>(p).Envelope.ClientTimestamp));
        var unknownAnswer = await peer.ReceiveAsync();
        Assert.Equal((6UL, 404U), (unknownAnswer.Response.Id, unknownAnswer.Response.Status));

        // A lone envelope arriving later is a batch of one.
        await peer.SendRequestAsync(7, "PUT", "/api/v1/message", EnvelopeAt(7));
        Assert.True(await batches.MoveNextAsync());
        Assert.Equal(7UL, Assert.IsType<EnvelopeDelivery>(Assert.Single(batches.Current)).Envelope.ClientTimestamp);
    }
}
