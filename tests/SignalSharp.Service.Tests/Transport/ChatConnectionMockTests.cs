using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Http;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>The chat socket, the provisioning socket and plain HTTPS against Signal's real mock server.</summary>
[Collection(MockServerCollection.Name)]
public sealed class ChatConnectionMockTests(MockServerFixture fixture)
{
    private static readonly ChatConnectionOptions Fast = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        Reconnect = new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500)),
    };

    [Fact]
    public async Task Unauthenticated_socket_answers_keepalive_json_requests_and_unknown_routes()
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(MockProfile.For(mock), options: Fast);
        await chat.StartAsync();
        Assert.Equal(ChatConnectionState.Connected, chat.State);

        var keepalive = await chat.SendAsync(WebSocketRequest.Get("/v1/keepalive"));
        Assert.Equal(200, keepalive.Status);
        Assert.NotNull(keepalive.Header("X-Signal-Timestamp"));

        // A real route with a JSON body: a registration session for a fresh number.
        var number = "+1555" + Random.Shared.Next(1000000, 9999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var session = await chat.SendAsync(new WebSocketRequest("POST", "/v1/verification/session")
        {
            Body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["number"] = number }),
            Headers = ["content-type:application/json"],
        });
        Assert.Equal(200, session.Status);
        var body = JsonNode.Parse(session.BodyText)!;
        Assert.False(string.IsNullOrEmpty(body["id"]!.GetValue<string>()));
        Assert.False(body["verified"]!.GetValue<bool>());

        var unknown = await chat.SendAsync(WebSocketRequest.Get("/v1/no/such/route"));
        Assert.Equal(404, unknown.Status);

        // Routes that need an account are refused on an unauthenticated socket.
        var whoami = await chat.SendAsync(WebSocketRequest.Get("/v1/accounts/whoami"));
        Assert.Equal(401, whoami.Status);
    }

    [Fact]
    public async Task Authenticated_socket_knows_the_account_and_delivers_queue_empty_for_an_answer()
    {
        var mock = await fixture.GetAsync();
        var account = (await mock.CommandAsync("createAccount", new JsonObject { ["name"] = "auth-" + Guid.NewGuid().ToString("N")[..8] }))!;
        var credentials = new ChatCredentials(account["aci"]!.GetValue<string>(), 1, account["password"]!.GetValue<string>());
        await using var chat = new ChatConnection(MockProfile.For(mock), credentials, Fast);
        await chat.StartAsync();

        var queueEmpty = await ReadUntilAsync(chat, "/api/v1/queue/empty");
        Assert.Equal("PUT", queueEmpty.Verb);
        Assert.True(await queueEmpty.RespondAsync(200));

        var whoami = await chat.SendAsync(WebSocketRequest.Get("/v1/accounts/whoami"));
        Assert.Equal(200, whoami.Status);
        Assert.Equal(credentials.Aci, JsonNode.Parse(whoami.BodyText)!["uuid"]!.GetValue<string>());
        Assert.DoesNotContain(credentials.Password, credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_an_authentication_error_not_a_reconnect_loop()
    {
        var mock = await fixture.GetAsync();
        var aci = mock.Phone["aci"]!.GetValue<string>();
        await using var chat = new ChatConnection(MockProfile.For(mock), new ChatCredentials(aci, 1, "wrong-password"), Fast);
        await Assert.ThrowsAsync<ServiceAuthenticationException>(() => chat.StartAsync());
        // Close code 3000 decides at once; when the mock's reset swallows it, three silent closes decide.
        Assert.InRange(chat.ConnectCount, 1, 3);
        Assert.Equal(ChatConnectionState.NotStarted, chat.State);
    }

    [Fact]
    public async Task A_second_socket_for_the_same_device_takes_over_from_the_first()
    {
        var mock = await fixture.GetAsync();
        var account = (await mock.CommandAsync("createAccount", new JsonObject { ["name"] = "twice-" + Guid.NewGuid().ToString("N")[..8] }))!;
        var credentials = new ChatCredentials(account["aci"]!.GetValue<string>(), 1, account["password"]!.GetValue<string>());
        var profile = MockProfile.For(mock);
        var firstLog = new Support.TestLogger();
        // No reconnect within the test: the first one must simply lose its socket.
        await using var first = new ChatConnection(profile, credentials, Fast with { Reconnect = new Backoff(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)) }, firstLog);
        await first.StartAsync();
        await using var second = new ChatConnection(profile, credentials, Fast);
        await second.StartAsync();

        // The mock closes the old socket with 4409, but it also resets the HTTP/2 stream right after the close
        // frame, and .NET drops the unread frame on RST_STREAM: so the code arrives only some of the time.
        await WaitUntilAsync(() => first.State != ChatConnectionState.Connected);
        Assert.Contains(firstLog.Lines, l => l.Contains("socket ended", StringComparison.Ordinal));
        Assert.Equal(1, first.ConnectCount);
        Assert.Equal(200, (await second.SendAsync(WebSocketRequest.Get("/v1/accounts/whoami"))).Status);
    }

    [Fact]
    public async Task After_the_server_drops_every_connection_the_socket_comes_back_by_itself()
    {
        var mock = await fixture.GetAsync();
        var account = (await mock.CommandAsync("createAccount", new JsonObject { ["name"] = "drop-" + Guid.NewGuid().ToString("N")[..8] }))!;
        var credentials = new ChatCredentials(account["aci"]!.GetValue<string>(), 1, account["password"]!.GetValue<string>());
        var slowReconnect = Fast with { Reconnect = new Backoff(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1)) };
        await using var chat = new ChatConnection(MockProfile.For(mock), credentials, slowReconnect);
        await chat.StartAsync();
        await (await ReadUntilAsync(chat, "/api/v1/queue/empty")).RespondAsync(200);

        var dropped = await mock.CommandAsync("dropConnections");
        Assert.True(dropped!["dropped"]!.GetValue<int>() >= 1);
        await WaitUntilAsync(() => chat.State == ChatConnectionState.Reconnecting || chat.ConnectCount >= 2);

        // A request made while the socket is down waits for the reconnect instead of failing.
        var whoami = await chat.SendAsync(WebSocketRequest.Get("/v1/accounts/whoami"));
        Assert.Equal(200, whoami.Status);
        Assert.True(chat.ConnectCount >= 2, $"connect count {chat.ConnectCount}");
        Assert.Equal(ChatConnectionState.Connected, chat.State);
        // A new authenticated socket gets its (empty) queue flushed again.
        await (await ReadUntilAsync(chat, "/api/v1/queue/empty")).RespondAsync(200);
    }

    [Fact]
    public async Task A_socket_cut_on_our_side_reconnects_too()
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(MockProfile.For(mock), options: Fast);
        await chat.StartAsync();
        chat.DropCurrentSocket();
        Assert.Equal(200, (await chat.SendAsync(WebSocketRequest.Get("/v1/keepalive"))).Status);
        Assert.Equal(2, chat.ConnectCount);
    }

    [Fact]
    public async Task Keepalives_run_on_their_own()
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(MockProfile.For(mock), options: Fast with { KeepAliveInterval = TimeSpan.FromMilliseconds(100) });
        await chat.StartAsync();
        await WaitUntilAsync(() => chat.KeepAlivesAnswered >= 3);
        Assert.Equal(ChatConnectionState.Connected, chat.State);
        Assert.Equal(1, chat.ConnectCount);
    }

    [Fact]
    public async Task Cancellation_and_disposal_are_honoured()
    {
        var mock = await fixture.GetAsync();
        var chat = new ChatConnection(MockProfile.For(mock), options: Fast);
        await chat.StartAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => chat.SendAsync(WebSocketRequest.Get("/v1/keepalive"), cancelled.Token));

        await chat.DisposeAsync();
        Assert.Equal(ChatConnectionState.Closed, chat.State);
        await chat.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => chat.SendAsync(WebSocketRequest.Get("/v1/keepalive")));
    }

    [Fact]
    public async Task The_system_trust_store_does_not_accept_the_mock_ca()
    {
        var mock = await fixture.GetAsync();
        var profile = MockProfile.For(mock) with { Trust = TlsTrust.System };
        await using var chat = new ChatConnection(profile, options: Fast);
        var error = await Assert.ThrowsAsync<ServiceConnectionException>(() => chat.StartAsync());
        Assert.Equal(0, chat.ConnectCount);
        Assert.Contains("/v1/websocket/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provisioning_socket_receives_a_provisioning_address()
    {
        var mock = await fixture.GetAsync();
        await using var provisioning = await ProvisioningSocket.ConnectAsync(MockProfile.For(mock));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var address = await provisioning.WaitForAddressAsync(timeout.Token);
        Assert.False(string.IsNullOrWhiteSpace(address));
        Assert.True(address.Length >= 16, address);
    }

    [Fact]
    public async Task Storage_service_is_plain_https_over_http2()
    {
        var mock = await fixture.GetAsync();
        using var http = new ServiceHttpClient(MockProfile.For(mock));
        using var request = http.StorageRequest(HttpMethod.Get, "v1/storage/manifest");
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpVersion.Version20, response.Version);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("Authorization", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        await Assert.ThrowsAsync<ServiceConnectionException>(() => http.DownloadAsync(0, "attachments/no-such-key"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(10);
        }
    }

    private static async Task<IncomingRequest> ReadUntilAsync(ChatConnection chat, string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var request = await chat.IncomingRequests.ReadAsync(timeout.Token);
            if (request.Path == path)
            {
                return request;
            }

            await request.RespondAsync(200);
        }
    }
}
