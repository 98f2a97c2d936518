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

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return http.PostAsync("/api/v1/rpc", content);
    }
}
