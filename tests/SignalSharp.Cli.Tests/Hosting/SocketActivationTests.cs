using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Tests.Support;

namespace SignalSharp.Cli.Tests.Hosting;

/// <summary>
/// Socket activation as systemd does it: the daemon is handed listening sockets and serves those instead of its own
/// addresses (TCP: the JSON commands and JSON-RPC; UNIX: JSON-RPC), and leaves the manager's socket file in place.
/// </summary>
public sealed class SocketActivationTests
{
    [Fact]
    public async Task Inherited_tcp_and_unix_sockets_are_served_and_the_socket_file_stays()
    {
        using var config = new TempConfig();
        var folder = Directory.CreateTempSubdirectory("signal-sharp-activation-").FullName;
        var socketPath = Path.Combine(folder, "rpc.socket");
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        tcp.Listen();
        var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
        var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        unix.Bind(new UnixDomainSocketEndPoint(socketPath));
        unix.Listen();
        using var stop = new CancellationTokenSource();
        var services = new CliServices(new OneAccount(), stop.Token) { InheritedSockets = () => [Inherit(tcp), Inherit(unix)], Environment = _ => null };
        try
        {
            // No channel option: without activation this would bind 127.0.0.1:6789; with it, only the handed-over sockets.
            var run = CliApp.RunAsync(["--config", config.Path, "-a", "+4366412345678", "daemon"], new StringWriter(), new StringWriter(), services);

            using (var client = new TcpClient())
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                var answer = await ExchangeAsync(client.GetStream(), "{command:'send_message',recipient:'+4366412345678',dataMessage:{message:'hi'}}");
                Assert.Equal(42, answer["timestamp"]!.GetValue<long>());
            }

            using (var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                await client.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
                using var stream = new NetworkStream(client);
                var answer = await ExchangeAsync(stream, """{"jsonrpc":"2.0","id":7,"method":"version"}""");
                Assert.Equal(7, answer["id"]!.GetValue<int>());
                Assert.NotNull(answer["result"]!["version"]);
            }

            await stop.CancelAsync();
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.True(File.Exists(socketPath), "the socket file belongs to systemd and must stay");
        }
        finally
        {
            tcp.Dispose();
            unix.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_multi_account_daemon_serves_the_inherited_socket_and_tells_the_service_manager_when_ready_and_stopping()
    {
        using var config = new TempConfig();
        using var manager = new SystemdNotifierTests.FakeServiceManager();
        var folder = Directory.CreateTempSubdirectory("signal-sharp-activation-").FullName;
        var socketPath = Path.Combine(folder, "rpc.socket");
        var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        unix.Bind(new UnixDomainSocketEndPoint(socketPath));
        unix.Listen();
        using var stop = new CancellationTokenSource();
        var services = new CliServices(new OneAccount(), stop.Token) { InheritedSockets = () => [Inherit(unix)], Environment = manager.Environment };
        try
        {
            // No account kept yet: signal-cli's multi-account daemon starts anyway, to link or register one.
            var run = CliApp.RunAsync(["--config", config.Path, "daemon"], new StringWriter(), new StringWriter(), services);
            Assert.Contains("READY=1", await manager.ReceiveAsync());

            using (var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                await client.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
                using var stream = new NetworkStream(client);
                var answer = await ExchangeAsync(stream, """{"jsonrpc":"2.0","id":3,"method":"listAccounts"}""");
                Assert.Equal(new JsonArray(), answer["result"], JsonNode.DeepEquals);
            }

            await stop.CancelAsync();
            Assert.Contains("STOPPING=1", await manager.ReceiveAsync());
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            unix.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The socket as a new process sees a descriptor it inherited: a Socket over the handle that did not bind it (the
    /// test's own Socket object would remove its file when closed, as .NET does for a path it bound).
    /// </summary>
    private static Socket Inherit(Socket listening) => new(new SafeSocketHandle(listening.Handle, ownsHandle: false));

    private static async Task<JsonNode> ExchangeAsync(Stream stream, string line)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        var reader = new StreamReader(stream, Encoding.UTF8);
        string? response;
        do
        {
            response = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(response);
        }
        while (response.Contains("\"method\":\"receive\"", StringComparison.Ordinal));
        return JsonNode.Parse(response)!;
    }
}
