using System.Net.Sockets;
using System.Text;
using SignalSharp.Cli.Hosting;
using SignalSharp.Cli.Tests.Support;

namespace SignalSharp.Cli.Tests.Hosting;

/// <summary>
/// systemd's notify protocol as the service manager sees it: a datagram socket at $NOTIFY_SOCKET receives the
/// daemon's READY=1 once it accepts connections and STOPPING=1 when it drains; nothing is sent without the variable.
/// </summary>
public sealed class SystemdNotifierTests
{
    [Fact]
    public async Task The_daemon_reports_ready_once_it_accepts_and_stopping_when_asked_to_stop()
    {
        using var manager = new FakeServiceManager();
        using var config = new TempConfig();
        using var stop = new CancellationTokenSource();
        var port = RunningDaemon.FreePort();
        var services = new CliServices(new OneAccount(), stop.Token) { Environment = manager.Environment };
        var run = CliApp.RunAsync(["--config", config.Path, "-a", "+4366412345678", "daemon", "--tcp", $"127.0.0.1:{port}"], new StringWriter(), new StringWriter(), services);

        var ready = await manager.ReceiveAsync();
        Assert.Contains("READY=1", ready.Split('\n'));
        Assert.Contains($"MAINPID={Environment.ProcessId}", ready.Split('\n'));
        // READY=1 promises a listener that accepts: the connection succeeds at once, no retry.
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        }

        await stop.CancelAsync();
        var stopping = await manager.ReceiveAsync();
        Assert.Contains("STOPPING=1", stopping.Split('\n'));
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task An_abstract_socket_name_is_reached_and_the_watchdog_is_pinged()
    {
        var name = "signal-sharp-test-" + Guid.NewGuid().ToString("N");
        using var manager = new FakeServiceManager(new UnixDomainSocketEndPoint("\0" + name));
        var environment = new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = "@" + name, ["WATCHDOG_USEC"] = "200000" };
        using var notifier = SystemdNotifier.FromEnvironment(name => environment.GetValueOrDefault(name));
        Assert.NotNull(notifier);
        Assert.Equal("WATCHDOG=1", await manager.ReceiveAsync());
        Assert.Equal("WATCHDOG=1", await manager.ReceiveAsync());
    }

    [Fact]
    public async Task A_watchdog_meant_for_another_process_is_not_pinged_and_no_socket_means_no_notifier()
    {
        Assert.Null(SystemdNotifier.FromEnvironment(_ => null));
        Assert.Null(SystemdNotifier.FromEnvironment(name => name == "NOTIFY_SOCKET" ? "relative/path" : null));

        using var manager = new FakeServiceManager();
        var environment = new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = manager.Path, ["WATCHDOG_USEC"] = "1000", ["WATCHDOG_PID"] = (Environment.ProcessId + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        using var notifier = SystemdNotifier.FromEnvironment(name => environment.GetValueOrDefault(name))!;
        notifier.Status("probe");
        // Datagrams arrive in order: had a watchdog timer started (1 ms), its pings would come before the probe.
        Assert.Equal("STATUS=probe", await manager.ReceiveAsync());
    }

    /// <summary>A datagram socket standing in for systemd's notify socket.</summary>
    internal sealed class FakeServiceManager : IDisposable
    {
        private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        private readonly string? directory;

        public FakeServiceManager(UnixDomainSocketEndPoint? endPoint = null)
        {
            if (endPoint is null)
            {
                directory = Directory.CreateTempSubdirectory("signal-sharp-notify-").FullName;
                Path = System.IO.Path.Combine(directory, "notify");
                endPoint = new UnixDomainSocketEndPoint(Path);
            }
            else
            {
                Path = "";
            }

            socket.Bind(endPoint);
        }

        public string Path { get; }

        public string? Environment(string name) => name == "NOTIFY_SOCKET" ? Path : null;

        public async Task<string> ReceiveAsync()
        {
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.UTF8.GetString(buffer, 0, count);
        }

        public void Dispose()
        {
            socket.Dispose();
            if (directory is not null)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
