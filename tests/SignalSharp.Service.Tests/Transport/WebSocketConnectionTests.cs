using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Service.Proto;
using SignalSharp.Service.Tests.Support;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>The framing layer against a scripted peer: ids, timeouts, cancellation, server requests, broken frames.</summary>
public sealed class WebSocketConnectionTests : IAsyncLifetime
{
    private readonly Channel<IncomingRequest> serverRequests = Channel.CreateUnbounded<IncomingRequest>();
    private FakeWebSocketPeer peer = null!;
    private WebSocketConnection connection = null!;

    public async Task InitializeAsync()
    {
        peer = await FakeWebSocketPeer.CreateAsync();
        connection = new WebSocketConnection(peer.Client, "test", NullLogger.Instance, r => serverRequests.Writer.TryWrite(r));
    }

    public async Task DisposeAsync()
    {
        await connection.DisposeAsync();
        await peer.DisposeAsync();
    }

    [Fact]
    public async Task Responses_are_matched_to_requests_by_id_even_out_of_order()
    {
        var first = connection.SendRequestAsync(new WebSocketRequest("GET", "/first"), TimeSpan.FromSeconds(10), default);
        var second = connection.SendRequestAsync(new WebSocketRequest("PUT", "/second") { Body = "{}"u8.ToArray(), Headers = ["content-type:application/json"] }, TimeSpan.FromSeconds(10), default);
        var a = await peer.ReceiveAsync();
        var b = await peer.ReceiveAsync();
        var byPath = new[] { a, b }.ToDictionary(m => m.Request.Path);
        Assert.Equal(WebSocketMessage.Types.Type.Request, a.Type);
        Assert.NotEqual(byPath["/first"].Request.Id, byPath["/second"].Request.Id);
        Assert.Equal("PUT", byPath["/second"].Request.Verb);
        Assert.Equal("{}", byPath["/second"].Request.Body.ToStringUtf8());
        Assert.Equal(["content-type:application/json"], byPath["/second"].Request.Headers);

        await peer.SendResponseAsync(byPath["/second"].Request.Id, 409, "{\"missingDevices\":[2]}");
        await peer.SendResponseAsync(byPath["/first"].Request.Id, 200, "ok");

        var secondResponse = await second;
        var firstResponse = await first;
        Assert.Equal(409, secondResponse.Status);
        Assert.Equal("{\"missingDevices\":[2]}", secondResponse.BodyText);
        Assert.Equal(200, firstResponse.Status);
        Assert.Equal("ok", firstResponse.BodyText);
        Assert.Equal("1", firstResponse.Header("x-signal-timestamp"));
    }

    [Fact]
    public async Task A_request_without_response_times_out_and_a_late_response_is_ignored()
    {
        var request = connection.SendRequestAsync(WebSocketRequest.Get("/never"), TimeSpan.FromMilliseconds(200), default);
        var sent = await peer.ReceiveAsync();
        var error = await Assert.ThrowsAsync<RequestTimeoutException>(() => request);
        Assert.Equal(TimeSpan.FromMilliseconds(200), error.Timeout);

        await peer.SendResponseAsync(sent.Request.Id, 200);
        var next = connection.SendRequestAsync(WebSocketRequest.Get("/next"), TimeSpan.FromSeconds(10), default);
        var nextSent = await peer.ReceiveAsync();
        await peer.SendResponseAsync(nextSent.Request.Id, 204);
        Assert.Equal(204, (await next).Status);
    }

    [Fact]
    public async Task Cancelling_a_request_throws_OperationCanceled_not_a_timeout()
    {
        using var cts = new CancellationTokenSource();
        var request = connection.SendRequestAsync(WebSocketRequest.Get("/slow"), TimeSpan.FromSeconds(30), cts.Token);
        await peer.ReceiveAsync();
        await cts.CancelAsync();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        Assert.IsNotType<RequestTimeoutException>(error);
    }

    [Fact]
    public async Task Server_requests_arrive_with_their_id_and_a_missing_id_is_answered_as_zero()
    {
        await peer.SendRequestAsync(null, "PUT", "/v1/address", [1, 2, 3]);
        await peer.SendRequestAsync(41, "PUT", "/api/v1/message", [9]);
        var first = await serverRequests.Reader.ReadAsync();
        var second = await serverRequests.Reader.ReadAsync();
        Assert.Equal((0UL, "PUT", "/v1/address"), (first.Id, first.Verb, first.Path));
        Assert.Equal(new byte[] { 1, 2, 3 }, first.Body.ToArray());
        Assert.Equal(41UL, second.Id);

        Assert.True(await second.RespondAsync(500));
        Assert.True(await first.RespondAsync(200));
        Assert.False(await first.RespondAsync(200)); // answered once only

        var answerToSecond = await peer.ReceiveAsync();
        var answerToFirst = await peer.ReceiveAsync();
        Assert.Equal(WebSocketMessage.Types.Type.Response, answerToFirst.Type);
        Assert.Equal((41UL, 500U), (answerToSecond.Response.Id, answerToSecond.Response.Status));
        Assert.Equal((0UL, 200U), (answerToFirst.Response.Id, answerToFirst.Response.Status));
    }

    [Fact]
    public async Task A_message_larger_than_the_receive_buffer_arrives_whole_and_the_small_ones_after_it_too()
    {
        var large = new byte[300 * 1024];
        new Random(7).NextBytes(large);
        await peer.SendRequestAsync(1, "PUT", "/api/v1/message", large);
        await peer.SendRequestAsync(2, "PUT", "/api/v1/message", [5, 6]);
        await peer.SendRequestAsync(3, "PUT", "/api/v1/message", large[..5000]);
        var first = await serverRequests.Reader.ReadAsync();
        var second = await serverRequests.Reader.ReadAsync();
        var third = await serverRequests.Reader.ReadAsync();
        Assert.Equal(large, first.Body.ToArray());
        Assert.Equal(new byte[] { 5, 6 }, second.Body.ToArray());
        Assert.Equal(large[..5000], third.Body.ToArray());
    }

    [Fact]
    public async Task Malformed_frames_are_skipped_and_the_connection_keeps_working()
    {
        await peer.SendRawAsync([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]); // truncated varint: not a protobuf
        await peer.SendRawAsync("hello"u8.ToArray(), WebSocketMessageType.Text);
        await peer.SendAsync(new WebSocketMessage { Type = WebSocketMessage.Types.Type.Request }); // no request inside
        await peer.SendAsync(new WebSocketMessage { Type = WebSocketMessage.Types.Type.Unknown });
        await peer.SendResponseAsync(987654, 200); // nobody asked

        var request = connection.SendRequestAsync(WebSocketRequest.Get("/v1/keepalive"), TimeSpan.FromSeconds(10), default);
        var sent = await peer.ReceiveAsync();
        await peer.SendResponseAsync(sent.Request.Id, 200);
        Assert.Equal(200, (await request).Status);
        Assert.Equal(4, connection.MalformedFrames);
        Assert.False(connection.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_close_from_the_server_fails_pending_requests_and_reports_the_code()
    {
        var request = connection.SendRequestAsync(WebSocketRequest.Get("/pending"), TimeSpan.FromSeconds(30), default);
        await peer.ReceiveAsync();
        await peer.Server.CloseOutputAsync((WebSocketCloseStatus)4409, "replaced", CancellationToken.None);

        await Assert.ThrowsAsync<ServiceConnectionException>(() => request);
        var closed = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4409, closed.Code);
        Assert.Equal("replaced", closed.Description);
        await Assert.ThrowsAsync<ServiceConnectionException>(
            () => connection.SendRequestAsync(WebSocketRequest.Get("/after"), TimeSpan.FromSeconds(5), default));
    }

    [Fact]
    public async Task A_broken_transport_ends_the_connection_with_the_error()
    {
        var request = connection.SendRequestAsync(WebSocketRequest.Get("/pending"), TimeSpan.FromSeconds(30), default);
        await peer.ReceiveAsync();
        peer.Server.Abort();
        peer.Server.Dispose();
        await peer.DisposeAsync();

        await Assert.ThrowsAsync<ServiceConnectionException>(() => request);
        var closed = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(closed.Code);
        Assert.NotNull(closed.Error);
    }
}
