using System.Net.WebSockets;
using SignalSharp.Service.Proto;
using SignalSharp.Service.Tests.Support;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>
/// <see cref="ChatConnectionOptions.IdleClose"/>: an unauthenticated socket nobody sends on is closed (a close
/// handshake, no reconnect while nobody asks) and opened again by the next request, never under a request in flight.
/// </summary>
public sealed class ChatConnectionIdleTests : IAsyncLifetime
{
    private static readonly ChatConnectionOptions Options = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(10),
        KeepAliveInterval = TimeSpan.Zero,
        Reconnect = new Backoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100)),
        IdleClose = TimeSpan.FromMilliseconds(300),
    };

    private readonly FakeChatServer server = new();
    private readonly TestLogger log = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task An_unused_socket_is_closed_after_the_idle_time_and_the_next_request_opens_another()
    {
        await using var chat = new ChatConnection(server.ConnectAsync, null, Options, log);
        await chat.StartAsync();
        var first = await server.NextPeerAsync();
        Assert.Equal(200, await AnsweredAsync(chat, first, "/before"));

        // The client closes with a handshake (1000), not a cut.
        var close = await CloseFrameAsync(first);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
        await WaitForStateAsync(chat, ChatConnectionState.Idle);

        // Nobody asks: it stays closed, with no reconnect of its own.
        await Task.Delay(Options.IdleClose!.Value * 3);
        Assert.Equal(ChatConnectionState.Idle, chat.State);
        Assert.Equal(1, server.Attempts);

        var request = chat.SendAsync(WebSocketRequest.Get("/after"));
        var second = await server.NextPeerAsync();
        var sent = await second.ReceiveAsync();
        Assert.Equal("/after", sent.Request.Path);
        await second.SendResponseAsync(sent.Request.Id, 200);
        Assert.Equal(200, (await request).Status);
        Assert.Equal(2, chat.ConnectCount);
        Assert.Equal(ChatConnectionState.Connected, chat.State);
        Assert.Contains(log.Lines, l => l.Contains("without a request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_in_flight_keeps_the_socket_open_past_the_idle_time()
    {
        await using var chat = new ChatConnection(server.ConnectAsync, null, Options, log);
        await chat.StartAsync();
        var peer = await server.NextPeerAsync();
        var pending = chat.SendAsync(WebSocketRequest.Get("/slow"));
        var sent = await peer.ReceiveAsync();

        // Three idle times pass with the request unanswered: the socket must stay, or its answer would be lost.
        await Task.Delay(Options.IdleClose!.Value * 3);
        Assert.Equal(ChatConnectionState.Connected, chat.State);
        await peer.SendResponseAsync(sent.Request.Id, 200);
        Assert.Equal(200, (await pending).Status);

        // Counted from the answer, the socket then goes idle all the same.
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await CloseFrameAsync(peer));
        Assert.Equal(1, server.Attempts);
    }

    [Fact]
    public async Task Keepalives_do_not_keep_an_unused_socket_open()
    {
        var options = Options with { KeepAliveInterval = TimeSpan.FromMilliseconds(50), IdleClose = TimeSpan.FromMilliseconds(500) };
        await using var chat = new ChatConnection(server.ConnectAsync, null, options, log);
        await chat.StartAsync();
        var peer = await server.NextPeerAsync();

        var keepAlives = 0;
        WebSocketReceiveResult result;
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((result = await peer.Server.ReceiveAsync(buffer, deadline.Token)).MessageType != WebSocketMessageType.Close)
        {
            var keepAlive = WebSocketMessage.Parser.ParseFrom(buffer, 0, result.Count);
            Assert.Equal("/v1/keepalive", keepAlive.Request.Path);
            await peer.SendResponseAsync(keepAlive.Request.Id, 200);
            keepAlives++;
        }

        Assert.True(keepAlives >= 3, $"{keepAlives} keepalives before the idle close");
        await peer.Server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await WaitForStateAsync(chat, ChatConnectionState.Idle);
    }

    [Fact]
    public async Task Requests_that_meet_a_closed_socket_share_one_reconnect()
    {
        await using var chat = new ChatConnection(server.ConnectAsync, null, Options, log);
        await chat.StartAsync();
        var first = await server.NextPeerAsync();
        await CloseFrameAsync(first);
        await WaitForStateAsync(chat, ChatConnectionState.Idle);

        var requests = Enumerable.Range(0, 5).Select(i => chat.SendAsync(WebSocketRequest.Get($"/burst/{i}"))).ToList();
        var second = await server.NextPeerAsync();
        for (var i = 0; i < requests.Count; i++)
        {
            var sent = await second.ReceiveAsync();
            await second.SendResponseAsync(sent.Request.Id, 200);
        }

        Assert.All(await Task.WhenAll(requests), response => Assert.Equal(200, response.Status));
        Assert.Equal(2, server.Attempts);
    }

    [Fact]
    public void An_authenticated_connection_never_closes_for_want_of_requests()
    {
        var credentials = new ChatCredentials("00000000-0000-4000-8000-000000000001", 2, "secret");
        Assert.Throws<ArgumentException>(() => new ChatConnection(server.ConnectAsync, credentials, Options, log));
    }

    private static async Task<int> AnsweredAsync(ChatConnection chat, FakeWebSocketPeer peer, string path)
    {
        var request = chat.SendAsync(WebSocketRequest.Get(path));
        var sent = await peer.ReceiveAsync();
        Assert.Equal(path, sent.Request.Path);
        await peer.SendResponseAsync(sent.Request.Id, 200);
        return (await request).Status;
    }

    private static async Task<WebSocketCloseStatus?> CloseFrameAsync(FakeWebSocketPeer peer)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await peer.Server.ReceiveAsync(new byte[4096], deadline.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        // Answer the handshake, as a server does, so the client's close completes at once.
        await peer.Server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return result.CloseStatus;
    }

    private static async Task WaitForStateAsync(ChatConnection chat, ChatConnectionState state)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (chat.State != state)
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
