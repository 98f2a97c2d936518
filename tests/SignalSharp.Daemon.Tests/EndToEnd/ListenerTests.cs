using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SignalSharp.Daemon.Server;
using SignalSharp.Daemon.Tests.Support;

namespace SignalSharp.Daemon.Tests.EndToEnd;

public sealed class ListenerTests
{
    [Fact]
    public async Task A_non_loopback_bind_logs_a_warning_and_loopback_does_not()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));

        await using (var loopback = new DaemonServer(new FakeAccount(), new DaemonOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, factory))
        {
            loopback.Start();
        }

        Assert.DoesNotContain(logs.Entries, e => e.Level == LogLevel.Warning);

        await using var open = new DaemonServer(new FakeAccount(), new DaemonOptions { EndPoint = new IPEndPoint(IPAddress.Any, 0) }, factory);
        open.Start();
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("authentication"));

        // It works all the same.
        await using var client = await TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, open.LocalEndPoint!.Port));
        JsonAssert.HasStatus(0, await client.RoundTripAsync("{command:'receive_messages',timeout:0}"));
    }

    [Fact]
    public async Task Message_text_never_reaches_the_log()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var account = new FakeAccount();
        await using var server = new DaemonServer(account, new DaemonOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, factory);
        server.Start();
        await using var client = await TestClient.ConnectAsync(server.LocalEndPoint!);
        await client.RoundTripAsync("""{"command":"send_message","recipient":"+4366412345678","dataMessage":{"message":"SECRET-TEXT"}}""");
        await client.RoundTripAsync("""{"command":"send_message","recipient":"+4366499999999","dataMessage":{"message":"SECRET-TEXT"}}""");
        await client.RoundTripAsync("""{"command":"send_reaction","recipient":"+4366400000000","reaction":{"emoji":"SECRET-EMOJI","author":"+4366412345678","timestamp":1}}""");
        await client.RoundTripAsync("""{"command":"send_message","recipient":"SECRET-TEXT"}""");
        Assert.NotEmpty(logs.Entries);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("SECRET") || e.Message.Contains("+43664"));
    }

    [Fact]
    public void A_taken_port_fails_at_start()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var server = new DaemonServer(new FakeAccount(), new DaemonOptions { EndPoint = (IPEndPoint)taken.LocalEndpoint });
        Assert.Throws<SocketException>(server.Start);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((logLevel, formatter(state, exception) + exception));
        }
    }
}
