using System.Net.WebSockets;
using SignalSharp.Service.Proto;
using SignalSharp.Service.Tests.Support;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>Reconnect, keepalive and close-code handling of <see cref="ChatConnection"/> against scripted peers.</summary>
public sealed class ChatConnectionTests : IAsyncLifetime
{
    private static readonly ChatConnectionOptions Options = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(10),
        KeepAliveInterval = TimeSpan.Zero,
        Reconnect = new Backoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100)),
    };

    private readonly FakeChatServer server = new();
    private readonly TestLogger log = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_broken_socket_is_replaced_and_server_requests_keep_flowing_through_one_channel()
    {
        await using var chat = new ChatConnection(server.ConnectAsync, null, Options, log);
        await chat.StartAsync();
        var first = await server.NextPeerAsync();
        await first.SendRequestAsync(1, "PUT", "/api/v1/message", [1]);
        var fromFirst = await chat.IncomingRequests.ReadAsync();

        first.Server.Abort();
        var second = await server.NextPeerAsync();
        await second.SendRequestAsync(1, "PUT", "/api/v1/message", [2]);
        var fromSecond = await chat.IncomingRequests.ReadAsync();

        Assert.Equal([2], fromSecond.Body.ToArray());
        Assert.False(await fromFirst.RespondAsync(200)); // its socket is gone: the server will deliver it again
        Assert.True(await fromSecond.RespondAsync(200));
        var ack = await second.ReceiveAsync();
        Assert.Equal((1UL, 200U), (ack.Response.Id, ack.Response.Status));
        Assert.Equal(2, chat.ConnectCount);
    }

    // Issue 14 defect 2: the login check's send on a socket cut right after CONNECT threw OperationCanceledException,
    // which escaped the reconnect loop and ended the supervisor silently: no reconnect ever again.
    [Fact]
    public async Task A_socket_cut_under_the_login_check_is_one_failed_attempt_and_the_connection_comes_back()
    {
        var credentials = new ChatCredentials("00000000-0000-4000-8000-000000000001", 2, "secret");
        var attempts = 0;
        Task<WebSocket> Connect(CancellationToken cancellationToken) =>
            Interlocked.Increment(ref attempts) == 2 ? Task.FromResult<WebSocket>(new AbortedUnderSendWebSocket()) : server.ConnectAsync(cancellationToken);

        await using var chat = new ChatConnection(Connect, credentials, Options, log);
        var start = chat.StartAsync();
        var first = await server.NextPeerAsync();
        await AnswerLoginCheckAsync(first);
        await start;

        first.Server.Abort(); // attempt 2 is the cut socket, attempt 3 a good one
        var third = await server.NextPeerAsync();
        await AnswerLoginCheckAsync(third);
        var request = chat.SendAsync(WebSocketRequest.Get("/after"));
        var sent = await third.ReceiveAsync();
        await third.SendResponseAsync(sent.Request.Id, 200);

        Assert.Equal(200, (await request).Status);
        Assert.Equal(3, Volatile.Read(ref attempts));
    }

    [Fact]
    public async Task Close_4401_reconnects_at_once_and_a_403_then_stops_the_connection()
    {
        var credentials = new ChatCredentials("00000000-0000-4000-8000-000000000001", 2, "secret");
        var attempts = 0;
        Task<WebSocket> Connect(CancellationToken cancellationToken) => Interlocked.Increment(ref attempts) == 1
            ? server.ConnectAsync(cancellationToken)
            : Task.FromException<WebSocket>(new DeviceDeregisteredException("HTTP 403 (scripted)"));
        var slow = Options with { Reconnect = new Backoff(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)) };

        await using var chat = new ChatConnection(Connect, credentials, slow, log, mockQuirks: false);
        var start = chat.StartAsync();
        var peer = await server.NextPeerAsync();
        await AnswerLoginCheckAsync(peer);
        await start;
        await peer.Server.CloseOutputAsync((WebSocketCloseStatus)4401, "Reauthentication required", CancellationToken.None);

        // The backoff is minutes: only an immediate reconnect meets the 403 within the wait.
        var error = await Record.ExceptionAsync(() => chat.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.IsType<DeviceDeregisteredException>(error);
        Assert.Equal(2, Volatile.Read(ref attempts));
        Assert.Contains(log.Lines, l => l.Contains("re-authenticate", StringComparison.Ordinal));
    }

    private static async Task AnswerLoginCheckAsync(FakeWebSocketPeer peer)
    {
        var check = await peer.ReceiveAsync();
        Assert.Equal("/v1/keepalive", check.Request.Path);
        await peer.SendResponseAsync(check.Request.Id, 200);
    }

    [Fact]
    public async Task Failed_reconnects_are_retried_with_backoff_until_the_server_is_back()
    {
        await using var chat = new ChatConnection(server.ConnectAsync, null, Options, log);
        await chat.StartAsync();
        var first = await server.NextPeerAsync();
        server.Refuse(3);
        first.Server.Abort();

        var second = await server.NextPeerAsync();
        Assert.Equal(5, server.Attempts); // 1 start + 3 refused + 1 accepted
        var request = chat.SendAsync(WebSocketRequest.Get("/v1/keepalive"));
        var sent = await second.ReceiveAsync();
        await second.SendResponseAsync(sent.Request.Id, 200);
        Assert.Equal(200, (await request).Status);
        Assert.Equal(3, log.Lines.Count(l => l.Contains("connecting failed", StringComparison.Ordinal)));
    }

    // After an outage the backoff has grown long; a request that comes then must not wait it out (and time out): it
    // cuts the backoff short. Here the delay after two refusals is 8 s and the request's timeout 5 s.
    [Fact]
    public async Task A_request_waiting_for_the_socket_cuts_a_long_backoff_short()
    {
        var options = Options with { RequestTimeout = TimeSpan.FromSeconds(5), Reconnect = new Backoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMinutes(1), Factor: 20, Jitter: 0) };
        await using var chat = new ChatConnection(server.ConnectAsync, null, options, log);
        await chat.StartAsync();
        var first = await server.NextPeerAsync();
        server.Refuse(2);
        first.Server.Abort();
        while (server.Attempts < 3)
        {
            await Task.Delay(20);
        }

        var request = chat.SendAsync(WebSocketRequest.Get("/v1/keepalive"));
        var second = await server.NextPeerAsync();
        var sent = await second.ReceiveAsync();
        await second.SendResponseAsync(sent.Request.Id, 200);
        Assert.Equal(200, (await request).Status);
        Assert.Equal(4, server.Attempts);
    }

    [Fact]
    public async Task A_first_connect_that_fails_fails_the_start_unless_asked_to_keep_trying()
    {
        await using (var once = new ChatConnection(server.ConnectAsync, null, Options, log))
        {
            server.Refuse(1);
            await Assert.ThrowsAsync<ServiceConnectionException>(() => once.StartAsync());
            Assert.Equal(1, server.Attempts);
        }

        // A daemon starting before the network is up: the start waits, retrying with backoff, and then serves.
        await using var patient = new ChatConnection(server.ConnectAsync, null, Options, log);
        server.Refuse(4);
        await patient.StartAsync(untilConnected: true, CancellationToken.None);
        Assert.Equal(1 + 4 + 1, server.Attempts);
        var peer = await server.NextPeerAsync();
        var request = patient.SendAsync(WebSocketRequest.Get("/v1/keepalive"));
        var sent = await peer.ReceiveAsync();
        await peer.SendResponseAsync(sent.Request.Id, 200);
        Assert.Equal(200, (await request).Status);
        Assert.Equal(4, log.Lines.Count(l => l.Contains("connecting failed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_start_that_keeps_trying_ends_when_its_caller_gives_up_and_can_be_started_again()
    {
        await using var chat = new ChatConnection(server.ConnectAsync, null, Options, log);
        server.Refuse(int.MaxValue);
        using (var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => chat.StartAsync(untilConnected: true, giveUp.Token));
        }

        Assert.True(server.Attempts > 1);
        server.Refuse(0);
        await chat.StartAsync();
        Assert.Equal(ChatConnectionState.Connected, chat.State);
    }

    [Theory]
    [InlineData(4409, typeof(ConnectionReplacedException))]
    [InlineData(3000, typeof(ServiceAuthenticationException))]
    public async Task Close_codes_that_reconnecting_cannot_fix_stop_the_connection(int code, Type expected)
    {
        await using var chat = new ChatConnection(server.ConnectAsync, null, Options, log);
        await chat.StartAsync();
        var peer = await server.NextPeerAsync();
        var pending = chat.SendAsync(WebSocketRequest.Get("/pending"));
        await peer.ReceiveAsync();
        await peer.Server.CloseOutputAsync((WebSocketCloseStatus)code, null, CancellationToken.None);

        var error = await Record.ExceptionAsync(() => chat.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.IsType(expected, error);
        await Assert.ThrowsAsync<ServiceConnectionException>(() => pending);
        var after = await Record.ExceptionAsync(() => chat.SendAsync(WebSocketRequest.Get("/after")));
        Assert.IsType(expected, after);
        Assert.Equal(ChatConnectionState.Closed, chat.State);
        await Task.Delay(200);
        Assert.Equal(1, server.Attempts);
        Assert.False(await chat.IncomingRequests.WaitToReadAsync()); // the channel is completed
    }

    [Fact]
    public async Task An_unanswered_keepalive_drops_the_socket_and_reconnects()
    {
        var options = Options with { KeepAliveInterval = TimeSpan.FromMilliseconds(50), KeepAliveTimeout = TimeSpan.FromMilliseconds(200) };
        await using var chat = new ChatConnection(server.ConnectAsync, null, options, log);
        await chat.StartAsync();
        var silent = await server.NextPeerAsync();
        var keepalive = await silent.ReceiveAsync();
        Assert.Equal(("GET", "/v1/keepalive"), (keepalive.Request.Verb, keepalive.Request.Path));

        var next = await server.NextPeerAsync();
        Assert.Contains(log.Lines, l => l.Contains("keepalive failed", StringComparison.Ordinal));
        var answered = await next.ReceiveAsync();
        await next.SendResponseAsync(answered.Request.Id, 200);
        Assert.Equal(2, chat.ConnectCount);
    }

    [Fact]
    public async Task A_request_times_out_when_no_socket_comes_back_in_time()
    {
        await using var chat = new ChatConnection(server.ConnectAsync, null, Options with { Reconnect = new Backoff(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), Jitter: 0) }, log);
        await chat.StartAsync();
        var peer = await server.NextPeerAsync();
        peer.Server.Abort();
        await WaitUntilAsync(() => chat.State == ChatConnectionState.Reconnecting);

        var error = await Assert.ThrowsAsync<RequestTimeoutException>(
            () => chat.SendAsync(WebSocketRequest.Get("/v1/keepalive") with { Timeout = TimeSpan.FromMilliseconds(150) }));
        Assert.Equal(TimeSpan.FromMilliseconds(150), error.Timeout);
    }

    [Fact]
    public async Task Disposing_while_reconnecting_stops_at_once()
    {
        var chat = new ChatConnection(server.ConnectAsync, null, Options with { Reconnect = new Backoff(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)) }, log);
        await chat.StartAsync();
        (await server.NextPeerAsync()).Server.Abort();
        await WaitUntilAsync(() => chat.State == ChatConnectionState.Reconnecting);
        var waiting = chat.SendAsync(WebSocketRequest.Get("/v1/keepalive"));

        await chat.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAnyAsync<Exception>(() => waiting);
        Assert.Equal(ChatConnectionState.Closed, chat.State);
        Assert.True(chat.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Close_code_3000_on_the_login_check_fails_the_start_at_once()
    {
        var credentials = new ChatCredentials("00000000-0000-4000-8000-000000000001", 2, "secret");
        await using var chat = new ChatConnection(server.ConnectAsync, credentials, Options, log);
        var starting = chat.StartAsync();
        var peer = await server.NextPeerAsync();
        var check = await peer.ReceiveAsync();
        Assert.Equal("/v1/keepalive", check.Request.Path);
        await peer.Server.CloseOutputAsync((WebSocketCloseStatus)3000, null, CancellationToken.None);

        await Assert.ThrowsAsync<ServiceAuthenticationException>(() => starting);
        Assert.Equal(1, server.Attempts);
        Assert.DoesNotContain(log.Lines, l => l.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Authenticated_sockets_that_keep_dying_silently_on_the_login_check_mean_rejected_credentials()
    {
        var credentials = new ChatCredentials("00000000-0000-4000-8000-000000000001", 2, "secret");
        await using var chat = new ChatConnection(server.ConnectAsync, credentials, Options, log);
        var starting = chat.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            var peer = await server.NextPeerAsync();
            await peer.ReceiveAsync();
            peer.Server.Abort();
        }

        var error = await Assert.ThrowsAsync<ServiceAuthenticationException>(() => starting);
        Assert.Contains("3 times", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Attempts);
    }

    [Fact]
    public async Task One_silent_close_on_the_login_check_is_retried()
    {
        var credentials = new ChatCredentials("00000000-0000-4000-8000-000000000001", 2, "secret");
        await using var chat = new ChatConnection(server.ConnectAsync, credentials, Options, log);
        var starting = chat.StartAsync();
        var flaky = await server.NextPeerAsync();
        await flaky.ReceiveAsync();
        flaky.Server.Abort();
        var good = await server.NextPeerAsync();
        var check = await good.ReceiveAsync();
        await good.SendResponseAsync(check.Request.Id, 200);

        await starting;
        Assert.Equal(ChatConnectionState.Connected, chat.State);
        Assert.Equal(2, chat.ConnectCount);
    }

    [Fact]
    public async Task Sending_before_start_is_a_usage_error()
    {
        await using var chat = new ChatConnection(server.ConnectAsync, null, Options, log);
        await Assert.ThrowsAsync<InvalidOperationException>(() => chat.SendAsync(WebSocketRequest.Get("/v1/keepalive")));
        Assert.Equal(ChatConnectionState.NotStarted, chat.State);
        Assert.Equal(0, server.Attempts);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(5);
        }
    }
}
