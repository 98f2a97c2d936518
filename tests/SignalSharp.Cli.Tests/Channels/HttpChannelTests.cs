using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Tests.Support;

namespace SignalSharp.Cli.Tests.Channels;

/// <summary>`daemon --http`: signal-cli's endpoints, status codes and Host-header pinning, on the real daemon.</summary>
public sealed class HttpChannelTests
{
    [Fact]
    public async Task The_rpc_endpoint_answers_with_signal_clis_status_codes()
    {
        var port = Loopback.FreePort();
        using var stop = new CancellationTokenSource();
        var stderr = new StringWriter();
        using var config = new TempConfig();
        var run = CliApp.RunAsync(["--config", config.Path, "-a", "+4366412345678", "daemon", "--http", $"127.0.0.1:{port}", "--receive-mode", "manual"], new StringWriter(), stderr,
            new CliServices(new OneAccount(), stop.Token));
        (await Loopback.ConnectAsync(port, run, stderr)).Dispose();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };

        using (var single = await PostAsync(http, """{"jsonrpc":"2.0","id":"a","method":"send","params":{"recipient":"+4366400000001","message":"hi"}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, single.StatusCode);
            Assert.Equal("application/json", single.Content.Headers.ContentType!.MediaType);
            Assert.Equal(
                """{"jsonrpc":"2.0","result":{"timestamp":42,"results":[{"recipientAddress":{"uuid":null,"number":"+4366400000001"},"type":"SUCCESS"}]},"id":"a"}""",
                await single.Content.ReadAsStringAsync());
        }

        using (var notification = await PostAsync(http, """{"jsonrpc":"2.0","method":"version"}"""))
        {
            Assert.Equal(HttpStatusCode.Created, notification.StatusCode);
            Assert.Empty(await notification.Content.ReadAsByteArrayAsync());
        }

        using (var batch = await PostAsync(http, """[{"jsonrpc":"2.0","id":1,"method":"version"},{"jsonrpc":"2.0","id":2,"method":"subscribeReceive"}]"""))
        {
            var answers = JsonNode.Parse(await batch.Content.ReadAsStringAsync())!.AsArray();
            Assert.Equal("0.13.19", (string)answers.Single(a => (int)a!["id"]! == 1)!["result"]!["version"]!);
            // Subscriptions need a lasting connection: over HTTP, SSE is the way to receive.
            Assert.Equal(-32601, (int)answers.Single(a => (int)a!["id"]! == 2)!["error"]!["code"]!);
        }

        using (var parseError = await PostAsync(http, "{not json"))
        {
            Assert.Equal(HttpStatusCode.OK, parseError.StatusCode);
            Assert.Equal(-32700, (int)JsonNode.Parse(await parseError.Content.ReadAsStringAsync())!["error"]!["code"]!);
        }

        using (var wrongType = await http.PostAsync("/api/v1/rpc", new StringContent("""{"jsonrpc":"2.0","id":1,"method":"version"}""", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        }

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.GetAsync("/api/v1/rpc")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync("/api/v1/check", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/other")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/check/more")).StatusCode);
        using (var check = await http.GetAsync("/api/v1/check"))
        {
            Assert.Equal(HttpStatusCode.OK, check.StatusCode);
            Assert.Empty(await check.Content.ReadAsByteArrayAsync());
        }

        stop.Cancel();
        Assert.True(0 == await run.WaitAsync(TimeSpan.FromSeconds(30)), stderr.ToString());
    }

    [Fact]
    public async Task The_check_endpoint_tells_a_supervisor_the_account_stopped()
    {
        var port = Loopback.FreePort();
        using var stop = new CancellationTokenSource();
        var stderr = new StringWriter();
        using var config = new TempConfig();
        var stopped = new OneAccount { Stopped = Task.FromResult(new SignalSharp.Account.Api.AccountStoppedException(SignalSharp.Account.Api.AccountStopReason.ClientRejected)) };
        var run = CliApp.RunAsync(["--config", config.Path, "-a", "+4366412345678", "daemon", "--http", $"127.0.0.1:{port}"], new StringWriter(), stderr,
            new CliServices(stopped, stop.Token));
        (await Loopback.ConnectAsync(port, run, stderr)).Dispose();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };

        using (var check = await http.GetAsync("/api/v1/check"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, check.StatusCode);
        }

        stop.Cancel();
        Assert.True(0 == await run.WaitAsync(TimeSpan.FromSeconds(30)), stderr.ToString());
        Assert.Contains("the server refuses this client", stderr.ToString());
    }

    [Theory]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("LOCALHOST:{port}", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:{port}", HttpStatusCode.OK)]
    [InlineData("[::1]:{port}", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:1", HttpStatusCode.MisdirectedRequest)]
    [InlineData("attacker.example", HttpStatusCode.MisdirectedRequest)]
    [InlineData("attacker.example:{port}", HttpStatusCode.MisdirectedRequest)]
    public async Task A_loopback_server_answers_only_requests_that_name_it_in_their_host_header(string host, HttpStatusCode expected)
    {
        var port = Loopback.FreePort();
        using var stop = new CancellationTokenSource();
        var stderr = new StringWriter();
        using var config = new TempConfig();
        var run = CliApp.RunAsync(["--config", config.Path, "-a", "+4366412345678", "daemon", "--http", $"127.0.0.1:{port}"], new StringWriter(), stderr,
            new CliServices(new OneAccount(), stop.Token));
        (await Loopback.ConnectAsync(port, run, stderr)).Dispose();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/v1/check"), (HttpMethod.Post, "/api/v1/rpc") })
        {
            using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{port}{path}");
            request.Headers.Host = host.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            if (method == HttpMethod.Post)
            {
                request.Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"version"}""", Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
        }

        stop.Cancel();
        Assert.True(0 == await run.WaitAsync(TimeSpan.FromSeconds(30)), stderr.ToString());
    }

    [Fact]
    public async Task With_an_auth_token_file_rpc_and_events_need_the_bearer_token()
    {
        var port = Loopback.FreePort();
        using var stop = new CancellationTokenSource();
        var stderr = new StringWriter();
        using var config = new TempConfig();
        var tokenFile = Path.Combine(config.Path, "token");
        const string Token = "3f1c0d9a8e7b6a5f4e3d2c1b0a998877";
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        var run = CliApp.RunAsync(["--config", config.Path, "-a", "+4366412345678", "daemon", "--http", $"127.0.0.1:{port}", "--auth-token-file", tokenFile],
            new StringWriter(), stderr, new CliServices(new OneAccount(), stop.Token));
        (await Loopback.ConnectAsync(port, run, stderr)).Dispose();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };

        // Without the token, with another one, one letter short, in another scheme, twice: 401, and nothing was carried out.
        string?[] refused = [null, "Bearer wrong", "Bearer " + Token[..^1], "Basic " + Token, "Bearer", $"Bearer {Token}, Bearer {Token}"];
        foreach (var authorization in refused)
        {
            using var rpc = await SendAsync(http, HttpMethod.Post, "/api/v1/rpc", authorization);
            Assert.Equal(HttpStatusCode.Unauthorized, rpc.StatusCode);
            Assert.Equal("Bearer", rpc.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Empty(await rpc.Content.ReadAsByteArrayAsync());
            using var events = await SendAsync(http, HttpMethod.Get, "/api/v1/events", authorization);
            Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
        }

        // The right token, the scheme in any case: the request is carried out; the event stream opens.
        foreach (var scheme in new[] { "Bearer", "bearer" })
        {
            using var rpc = await SendAsync(http, HttpMethod.Post, "/api/v1/rpc", $"{scheme} {Token}");
            Assert.Equal(HttpStatusCode.OK, rpc.StatusCode);
            Assert.Equal("0.13.19", (string)JsonNode.Parse(await rpc.Content.ReadAsStringAsync())!["result"]!["version"]!);
        }

        using (var events = await SendAsync(http, HttpMethod.Get, "/api/v1/events", $"Bearer {Token}"))
        {
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
            Assert.Equal("text/event-stream", events.Content.Headers.ContentType!.MediaType);
        }

        // The health check tells no more than the open port: it stays open. The Host check still comes first.
        using (var check = await http.GetAsync("/api/v1/check"))
        {
            Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/rpc"))
        {
            request.Headers.Host = "attacker.example";
            request.Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"version"}""", Encoding.UTF8, "application/json");
            using var misdirected = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.MisdirectedRequest, misdirected.StatusCode);
        }

        stop.Cancel();
        Assert.True(0 == await run.WaitAsync(TimeSpan.FromSeconds(30)), stderr.ToString());
        Assert.DoesNotContain(Token, stderr.ToString(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? authorization)
    {
        var request = new HttpRequestMessage(method, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"version"}""", Encoding.UTF8, "application/json");
        }

        // The event stream never ends: read the headers only.
        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return http.PostAsync("/api/v1/rpc", content);
    }
}
