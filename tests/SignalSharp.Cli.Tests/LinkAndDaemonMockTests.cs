using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Accounts;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// The command line end to end against Signal's mock server: `link --server FILE` (the mock phone scans the printed
/// URI), then `-a NUMBER daemon --tcp` over that stored account, driven by a TCP client as a user would with socat.
/// </summary>
public sealed class LinkAndDaemonMockTests
{
    [Fact]
    public async Task Link_then_the_daemon_receives_and_sends_real_messages()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-cli-").FullName;
        try
        {
            var profile = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profile);

            var stdout = new LineWriter();
            var stderr = new StringWriter();
            var link = CliApp.RunAsync(["--config", config, "link", "-n", "cli test", "--server", profile], stdout, stderr);
            var uri = await stdout.NextLineAsync(ct);
            Assert.StartsWith("sgnl://linkdevice?uuid=", uri);
            var phone = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri }, ct);
            Assert.True(0 == await link.WaitAsync(ct), stderr.ToString());
            var number = mock.Phone["number"]!.GetValue<string>();
            Assert.Equal(number, await stdout.NextLineAsync(ct));
            await phone.WaitAsync(ct);
            // The QR code for the phone's camera went to stderr, drawn with half blocks.
            Assert.True(stderr.ToString().IndexOfAny(['▀', '▄', '█']) >= 0, stderr.ToString());

            var port = FreePort();
            using var stop = new CancellationTokenSource();
            var daemonErr = new StringWriter();
            var daemon = CliApp.RunAsync(["--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{port}"], new StringWriter(), daemonErr,
                new CliServices(new StoredAccountOpener(), stop.Token));
            using var client = new TcpClient();
            await ConnectWithRetryAsync(client, port, daemon, daemonErr);
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.UTF8);

            var alice = mock.Contact("alice");
            await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "hi daemon 👋", ["sealed"] = true, ["timestamp"] = 1_700_000_000_123L }, ct);
            await stream.WriteAsync("{command:'receive_messages',timeout:10000}\n"u8.ToArray(), ct);
            var received = JsonNode.Parse((await reader.ReadLineAsync(ct))!)!;
            Assert.Equal(0, received["statusCode"]!.GetValue<int>());
            var message = received["messages"]![0]!;
            Assert.Equal("hi daemon 👋", message["body"]!.GetValue<string>());
            Assert.Equal(alice["number"]!.GetValue<string>(), message["sender"]!.GetValue<string>());
            Assert.Equal(1_700_000_000_123L, message["timestamp"]!.GetValue<long>());

            await stream.WriteAsync(Encoding.UTF8.GetBytes($"{{command:'send_message',recipient:'{alice["number"]}',dataMessage:{{message:'reply from the daemon'}}}}\n"), ct);
            var sent = JsonNode.Parse((await reader.ReadLineAsync(ct))!)!;
            Assert.Equal(0, sent["statusCode"]!.GetValue<int>());
            var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
            Assert.Equal("reply from the daemon", atAlice["body"]!.GetValue<string>());
            Assert.Equal(sent["timestamp"]!.ToString(), atAlice["timestamp"]!.ToString());

            stop.Cancel();
            Assert.Equal(0, await daemon.WaitAsync(ct));
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task ConnectWithRetryAsync(TcpClient client, int port, Task<int> daemon, StringWriter stderr)
    {
        for (var attempt = 0; ; attempt++)
        {
            Assert.False(daemon.IsCompleted, "daemon exited: " + stderr);
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (attempt < 200)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A stdout that lets the test wait for each printed line.</summary>
    private sealed class LineWriter : TextWriter
    {
        private readonly StringBuilder current = new();
        private readonly System.Threading.Channels.Channel<string> lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (current)
            {
                if (value == '\n')
                {
                    lines.Writer.TryWrite(current.ToString());
                    current.Clear();
                }
                else if (value != '\r')
                {
                    current.Append(value);
                }
            }
        }

        public async Task<string> NextLineAsync(CancellationToken cancellationToken) => await lines.Reader.ReadAsync(cancellationToken);
    }
}
