using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Tests.Support;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>
/// Issue 12 item 5 through the production-style front: the upgrade statuses and close codes production uses, each
/// mapped to stop, wait or reconnect. The profile is production-style (no mock quirks).
/// </summary>
[Collection(FrontServerCollection.Name)]
public sealed class FrontCloseCodeTests(FrontServerFixture fixture)
{
    private static readonly ChatConnectionOptions Fast = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(20),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        Reconnect = new Backoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)),
    };

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(403, typeof(DeviceDeregisteredException))]
    [InlineData(499, typeof(ClientRejectedException))]
    public async Task A_refused_upgrade_stops_at_once_with_what_it_means(int status, Type expected)
    {
        var mock = await fixture.GetAsync();
        await mock.SetFrontAsync(new JsonObject { ["rejectUpgrade"] = new JsonObject { ["status"] = status, ["socket"] = "auth" } });
        await using var chat = new ChatConnection(FrontProfile(mock), await FrontChatEndpointTests.CredentialsAsync(mock), Fast);

        var error = await Record.ExceptionAsync(() => chat.StartAsync());

        Assert.IsType(expected, error);
        Assert.Single(await FrontChatEndpointTests.UpgradesAsync(mock));
    }

    [Fact]
    public async Task Close_4401_reconnects_once_at_once_and_the_403_that_follows_stops_the_connection()
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(FrontProfile(mock), await FrontChatEndpointTests.CredentialsAsync(mock), Fast);
        await chat.StartAsync();
        await mock.SetFrontAsync(new JsonObject { ["rejectUpgrade"] = new JsonObject { ["status"] = 403, ["socket"] = "auth" } });
        await mock.CommandAsync("frontCloseSockets", new JsonObject { ["socket"] = "auth", ["code"] = 4401 });

        var error = await Record.ExceptionAsync(() => chat.Completion.WaitAsync(Patience));

        Assert.IsType<DeviceDeregisteredException>(error);
        Assert.Equal(2, (await FrontChatEndpointTests.UpgradesAsync(mock)).Count);
        await Assert.ThrowsAsync<DeviceDeregisteredException>(() => chat.SendAsync(WebSocketRequest.Get("/v1/keepalive")));
    }

    // 4409: another connection for this device took over; reconnecting would only take it back in turn.
    [Theory]
    [InlineData("legacy", "1.1")]
    [InlineData("omnibus", "2")]
    public async Task Close_4409_stops_the_connection_without_a_reconnect(string listener, string http)
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(MockProfile.ForFront(mock, (listener, http)), await FrontChatEndpointTests.CredentialsAsync(mock), Fast);
        await chat.StartAsync();
        await mock.CommandAsync("frontCloseSockets", new JsonObject { ["socket"] = "auth", ["code"] = 4409 });

        var error = await Record.ExceptionAsync(() => chat.Completion.WaitAsync(Patience));

        Assert.IsType<ConnectionReplacedException>(error);
        Assert.Single(await FrontChatEndpointTests.UpgradesAsync(mock));
        Assert.Equal(ChatConnectionState.Closed, chat.State);
    }

    // Production keeps one authenticated socket per device: a second login (another process with the same
    // credentials) displaces the first with 4409. The displaced connection stops rather than take the socket back.
    [Fact]
    public async Task A_second_login_of_the_same_device_displaces_the_first_which_stops_while_the_second_keeps_working()
    {
        var mock = await fixture.GetAsync();
        var credentials = await FrontChatEndpointTests.CredentialsAsync(mock);
        await using var first = new ChatConnection(FrontProfile(mock), credentials, Fast);
        await first.StartAsync();
        await using var second = new ChatConnection(FrontProfile(mock), credentials, Fast);
        await second.StartAsync();

        var error = await Record.ExceptionAsync(() => first.Completion.WaitAsync(Patience));

        Assert.IsType<ConnectionReplacedException>(error);
        Assert.Equal(1, (await mock.FrontStatsAsync())["displaced"]!.GetValue<int>());
        Assert.Equal(200, (await second.SendAsync(WebSocketRequest.Get("/v1/accounts/whoami") with { Timeout = Patience })).Status);
        Assert.Equal(1, second.ConnectCount);
    }

    [Fact]
    public async Task Close_4401_with_credentials_still_good_just_reconnects()
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(FrontProfile(mock), await FrontChatEndpointTests.CredentialsAsync(mock), Fast);
        await chat.StartAsync();
        await mock.CommandAsync("frontCloseSockets", new JsonObject { ["socket"] = "auth", ["code"] = 4401 });

        Assert.Equal(200, (await SendAfterReconnectAsync(chat)).Status);
        Assert.Equal(2, chat.ConnectCount);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_busy_server_is_given_the_time_it_asks_for_and_then_reconnected(int status)
    {
        var mock = await fixture.GetAsync();
        var log = new TestLogger();
        await using var chat = new ChatConnection(FrontProfile(mock), await FrontChatEndpointTests.CredentialsAsync(mock), Fast, log);
        await chat.StartAsync();
        await mock.SetFrontAsync(new JsonObject
        {
            ["rejectUpgrade"] = new JsonObject { ["status"] = status, ["retryAfter"] = 1, ["socket"] = "auth", ["times"] = 1 },
        });
        await mock.CommandAsync("frontCloseSockets", new JsonObject { ["socket"] = "auth" });

        Assert.Equal(200, (await SendAfterReconnectAsync(chat)).Status);
        Assert.Contains(log.Lines, l => l.Contains($"asked to wait 00:00:01 (HTTP {status})", StringComparison.Ordinal));
        Assert.Equal(ChatConnectionState.Connected, chat.State);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1011)]
    public async Task Ordinary_close_codes_reconnect(int code)
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(FrontProfile(mock), await FrontChatEndpointTests.CredentialsAsync(mock), Fast);
        await chat.StartAsync();
        await mock.CommandAsync("frontCloseSockets", new JsonObject { ["socket"] = "auth", ["code"] = code });

        Assert.Equal(200, (await SendAfterReconnectAsync(chat)).Status);
        Assert.Equal(2, chat.ConnectCount);
    }

    // Production closes with 1000 when the first keepalive beats the server's presence registration. Against the
    // mock's quirks three such closes meant "bad credentials"; in production they are just reconnects.
    [Fact]
    public async Task Closes_with_1000_on_the_first_keepalive_are_reconnects_not_a_rejection()
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(FrontProfile(mock), await FrontChatEndpointTests.CredentialsAsync(mock), Fast);
        await chat.StartAsync();
        await mock.SetFrontAsync(new JsonObject
        {
            ["closeOnKeepalive"] = new JsonObject { ["code"] = 1000, ["socket"] = "auth", ["times"] = 4 },
        });
        await mock.CommandAsync("frontCloseSockets", new JsonObject { ["socket"] = "auth", ["code"] = 1000 });

        // 4 sockets closed on their login check, then one that stays.
        Assert.Equal(200, (await SendAfterReconnectAsync(chat, connects: 6)).Status);
        Assert.Equal(6, chat.ConnectCount);
        Assert.False(chat.Completion.IsCompleted);
    }

    private static Service.Profiles.ServerProfile FrontProfile(MockServer mock) => MockProfile.ForFront(mock, ("omnibus", "2"), ("legacy", "1.1"));

    // A request sent while the old socket is still closing may be lost with it; the test sends once the new one is up.
    private static async Task<WebSocketResponse> SendAfterReconnectAsync(ChatConnection chat, int connects = 2)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (chat.ConnectCount < connects)
        {
            await Task.Delay(20, timeout.Token);
        }

        return await chat.SendAsync(WebSocketRequest.Get("/v1/accounts/whoami") with { Timeout = Patience });
    }
}
