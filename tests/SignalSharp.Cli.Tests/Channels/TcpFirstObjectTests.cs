using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Tests.Support;

namespace SignalSharp.Cli.Tests.Channels;

/// <summary>
/// One TCP listener, two protocols: the daemon reads a connection's first object and answers the seed's JSON commands
/// or signal-cli's JSON-RPC accordingly, on the same port at the same time.
/// </summary>
public sealed class TcpFirstObjectTests
{
    [Fact]
    public async Task Seed_commands_and_json_rpc_share_the_port_each_connection_by_its_first_object()
    {
        var port = Loopback.FreePort();
        using var stop = new CancellationTokenSource();
        var stderr = new StringWriter();
        using var config = new TempConfig();
        var run = CliApp.RunAsync(["--config", config.Path, "-a", "+4366412345678", "daemon", "--tcp", $"127.0.0.1:{port}", "--receive-mode", "manual"], new StringWriter(), stderr,
            new CliServices(new OneAccount(), stop.Token));

        using var seed = await Loopback.ConnectAsync(port, run, stderr);
        using var rpc = await Loopback.ConnectAsync(port, run, stderr);
        using var batch = await Loopback.ConnectAsync(port, run, stderr);
        var seedLines = new StreamReader(seed, Encoding.UTF8);
        var rpcLines = new StreamReader(rpc, Encoding.UTF8);
        var batchLines = new StreamReader(batch, Encoding.UTF8);

        // The JSON-RPC request arrives in two pieces, with a second request behind it in the same write.
        await rpc.WriteAsync("""{"jsonrpc":"2.0","id":1,"met"""u8.ToArray());
        await Task.Yield();
        await rpc.WriteAsync(Line("""hod":"version"}""" + "\n" + """{"jsonrpc":"2.0","id":"two","method":"send","params":{"recipient":"+4366400000001","message":"hi"}}"""));
        // The seed's relaxed syntax, after the JSON-RPC connection was claimed.
        await seed.WriteAsync("{command:'send_message',reqId:'s',recipient:'+4366400000001',dataMessage:{message:'hi'}}\n"u8.ToArray());
        await batch.WriteAsync(Line("""[{"jsonrpc":"2.0","id":7,"method":"version"},{"jsonrpc":"2.0","id":8,"method":"noSuchMethod"}]"""));

        Assert.Equal("""{"command":"send_message","reqId":"s","statusCode":0,"timestamp":42}""", await ReadAsync(seedLines));

        var answers = new[] { JsonNode.Parse(await ReadAsync(rpcLines))!, JsonNode.Parse(await ReadAsync(rpcLines))! }
            .ToDictionary(a => a["id"]!.ToJsonString());
        Assert.Equal("0.13.19", (string)answers["1"]["result"]!["version"]!);
        Assert.Equal(42L, (long)answers["\"two\""]["result"]!["timestamp"]!);
        Assert.Equal("SUCCESS", (string)answers["\"two\""]["result"]!["results"]![0]!["type"]!);

        var batchAnswer = JsonNode.Parse(await ReadAsync(batchLines))!.AsArray();
        Assert.Equal(2, batchAnswer.Count);
        Assert.Contains(batchAnswer, a => (int)a!["id"]! == 8 && (int)a["error"]!["code"]! == -32601);

        // Once decided, a connection stays with its protocol: a JSON-RPC line on the seed connection is a seed command without "command".
        await seed.WriteAsync(Line("""{"jsonrpc":"2.0","id":3,"method":"version"}"""));
        Assert.Equal(1, (int)JsonNode.Parse(await ReadAsync(seedLines))!["statusCode"]!);

        stop.Cancel();
        Assert.True(0 == await run.WaitAsync(TimeSpan.FromSeconds(30)), stderr.ToString());
    }

    [Fact]
    public async Task A_connection_that_starts_with_garbage_speaks_the_seed_protocol()
    {
        var port = Loopback.FreePort();
        using var stop = new CancellationTokenSource();
        var stderr = new StringWriter();
        using var config = new TempConfig();
        var run = CliApp.RunAsync(["--config", config.Path, "-a", "+4366412345678", "daemon", "--tcp", $"127.0.0.1:{port}"], new StringWriter(), stderr,
            new CliServices(new OneAccount(), stop.Token));

        using var client = await Loopback.ConnectAsync(port, run, stderr);
        var lines = new StreamReader(client, Encoding.UTF8);
        await client.WriteAsync("hello\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"version\"}\n"u8.ToArray());
        Assert.Equal(4, (int)JsonNode.Parse(await ReadAsync(lines))!["statusCode"]!);
        Assert.Equal(1, (int)JsonNode.Parse(await ReadAsync(lines))!["statusCode"]!);

        stop.Cancel();
        Assert.True(0 == await run.WaitAsync(TimeSpan.FromSeconds(30)), stderr.ToString());
    }

    private static byte[] Line(string text) => Encoding.UTF8.GetBytes(text + "\n");

    private static async Task<string> ReadAsync(StreamReader reader)
    {
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(line);
        return line;
    }
}
