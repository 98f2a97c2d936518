using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Tests.Support;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>
/// Issue 12 item 1 through the production-style front: chat and provisioning sockets on the endpoints a profile lists,
/// in order, by HTTP/2 extended CONNECT or HTTP/1.1 Upgrade, with fallback; the mock behind the front answers.
/// </summary>
[Collection(FrontServerCollection.Name)]
public sealed class FrontChatEndpointTests(FrontServerFixture fixture)
{
    private static readonly ChatConnectionOptions Fast = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        Reconnect = new Backoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)),
    };

    [Fact]
    public async Task An_authenticated_socket_opens_by_HTTP_1_1_Upgrade_on_a_legacy_host()
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(MockProfile.ForFront(mock, ("legacy", "1.1")), await CredentialsAsync(mock), Fast);
        await chat.StartAsync();

        var whoami = await chat.SendAsync(WebSocketRequest.Get("/v1/accounts/whoami"));
        Assert.Equal(200, whoami.Status);
        Assert.Equal([("legacy", "auth", "http/1.1")], await UpgradesAsync(mock));
    }

    [Fact]
    public async Task Production_order_takes_the_HTTP_2_host_first()
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(MockProfile.ForFront(mock, ("omnibus", "2"), ("legacy", "1.1")), null, Fast);
        await chat.StartAsync();

        Assert.Equal(200, (await chat.SendAsync(WebSocketRequest.Get("/v1/keepalive"))).Status);
        Assert.Equal([("omnibus", "unauth", "h2")], await UpgradesAsync(mock));
    }

    [Fact]
    public async Task A_host_whose_HTTP_2_lacks_extended_CONNECT_is_reached_by_HTTP_1_1_when_the_profile_lets_it_negotiate()
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(MockProfile.ForFront(mock, ("h2legacy", "negotiate")), null, Fast);
        await chat.StartAsync();

        Assert.Equal(200, (await chat.SendAsync(WebSocketRequest.Get("/v1/keepalive"))).Status);
        Assert.Equal([("h2legacy", "unauth", "http/1.1")], await UpgradesAsync(mock));
    }

    [Fact]
    public async Task An_endpoint_that_cannot_carry_the_socket_is_skipped_for_the_next_and_the_choice_is_logged_once()
    {
        var mock = await fixture.GetAsync();
        var log = new TestLogger();
        // h2legacy asked for HTTP/2 only: its h2 has no extended CONNECT, so the legacy host is next.
        await using var chat = new ChatConnection(MockProfile.ForFront(mock, ("h2legacy", "2"), ("legacy", "1.1")), null, Fast, log);
        await chat.StartAsync();
        chat.DropCurrentSocket();
        Assert.Equal(200, (await chat.SendAsync(WebSocketRequest.Get("/v1/keepalive"))).Status);

        Assert.Equal(2, chat.ConnectCount);
        Assert.Equal([("legacy", "unauth", "http/1.1"), ("legacy", "unauth", "http/1.1")], await UpgradesAsync(mock));
        Assert.Single(log.Lines, l => l.Contains("using chat endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_provisioning_socket_follows_the_same_endpoints()
    {
        var mock = await fixture.GetAsync();
        await using var socket = await ProvisioningSocket.ConnectAsync(MockProfile.ForFront(mock, ("omnibus", "2"), ("legacy", "1.1")) with
        {
            // The first endpoint is down: nothing listens there.
            ChatEndpoints = [new(new Uri($"https://127.0.0.1:{FreePort()}"), ChatHttpVersion.Http2), new(mock.FrontUrl("legacy"), ChatHttpVersion.Http11)],
        });
        var address = await socket.WaitForAddressAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(string.IsNullOrEmpty(address));
        Assert.Equal([("legacy", "provisioning", "http/1.1")], await UpgradesAsync(mock));
    }

    // Issue 12 item 6: production closes a provisioning socket idle for 60 s (here scaled down to 4 s, twenty keepalive
    // intervals, so that a machine stalled for a second or two by parallel test assemblies does not make a late
    // keepalive look like a missing one).
    [Fact]
    public async Task Provisioning_keepalives_keep_an_idle_provisioning_socket_open_past_the_idle_timeout()
    {
        var mock = await fixture.GetAsync();
        await mock.SetFrontAsync(new JsonObject { ["provisioningTimeouts"] = new JsonObject { ["idleMs"] = 4000, ["maxMs"] = 120000 } });
        await using var socket = await ProvisioningSocket.ConnectAsync(
            MockProfile.ForFront(mock, ("omnibus", "2")), keepAliveInterval: TimeSpan.FromMilliseconds(200));
        await socket.WaitForAddressAsync().WaitAsync(TimeSpan.FromSeconds(20));

        // Forty answered keepalives span twice the idle timeout.
        await WaitForAnsweredKeepAlivesAsync(socket, 40);

        Assert.False(socket.Closed.IsCompleted);
        var stats = await mock.FrontStatsAsync();
        Assert.Equal(0, stats["provisioningTimeouts"]!.GetValue<int>());
        Assert.Contains("provisioningKeepalive", stats["routes"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    // A lost keepalive answer once stopped the keepalives for good, and production then closed the socket as idle.
    [Fact]
    public async Task A_keepalive_left_unanswered_does_not_stop_the_keepalives()
    {
        var mock = await fixture.GetAsync();
        await mock.SetFrontAsync(new JsonObject
        {
            ["provisioningTimeouts"] = new JsonObject { ["idleMs"] = 4000, ["maxMs"] = 120000 },
            ["swallowKeepalive"] = new JsonObject { ["socket"] = "provisioning", ["times"] = 1 },
        });
        var log = new TestLogger();
        await using var socket = await ProvisioningSocket.ConnectAsync(
            MockProfile.ForFront(mock, ("omnibus", "2")), log, keepAliveInterval: TimeSpan.FromMilliseconds(200), keepAliveTimeout: TimeSpan.FromSeconds(1));
        await socket.WaitForAddressAsync().WaitAsync(TimeSpan.FromSeconds(20));

        // Forty answered keepalives (the lost one not among them) span twice the idle timeout.
        await WaitForAnsweredKeepAlivesAsync(socket, 40);

        Assert.False(socket.Closed.IsCompleted);
        var stats = await mock.FrontStatsAsync();
        Assert.Equal(1, stats["swallowedKeepalives"]!.GetValue<int>());
        Assert.Equal(0, stats["provisioningTimeouts"]!.GetValue<int>());
        Assert.Contains(log.Lines, l => l.Contains("keepalive was not answered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_keepalives_the_front_closes_an_idle_provisioning_socket_as_production_does()
    {
        var mock = await fixture.GetAsync();
        await mock.SetFrontAsync(new JsonObject { ["provisioningTimeouts"] = new JsonObject { ["idleMs"] = 500, ["maxMs"] = 120000 } });
        await using var socket = await ProvisioningSocket.ConnectAsync(
            MockProfile.ForFront(mock, ("omnibus", "2")), keepAliveInterval: TimeSpan.FromMinutes(10));
        await socket.WaitForAddressAsync().WaitAsync(TimeSpan.FromSeconds(20));

        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, (await mock.FrontStatsAsync())["provisioningTimeouts"]!.GetValue<int>());
    }

    internal static async Task<ChatCredentials> CredentialsAsync(MockServer mock)
    {
        var account = (await mock.CommandAsync("createAccount", new JsonObject { ["name"] = "front-" + Guid.NewGuid().ToString("N")[..8] }))!;
        return new ChatCredentials(account["aci"]!.GetValue<string>(), 1, account["password"]!.GetValue<string>());
    }

    internal static async Task<List<(string, string, string)>> UpgradesAsync(MockServer mock) =>
        [.. (await mock.FrontStatsAsync())["upgrades"]!.AsArray().Select(u =>
            (u!["listener"]!.GetValue<string>(), u["kind"]!.GetValue<string>(), u["protocol"]!.GetValue<string>()))];

    // Until that many keepalives were answered, or the socket ended first.
    private static async Task WaitForAnsweredKeepAlivesAsync(ProvisioningSocket socket, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (socket.KeepAlivesAnswered < count && !socket.Closed.IsCompleted)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
