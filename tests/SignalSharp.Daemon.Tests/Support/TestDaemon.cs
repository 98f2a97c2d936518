using System.Net;
using SignalSharp.Daemon.Server;

namespace SignalSharp.Daemon.Tests.Support;

/// <summary>A real daemon on a loopback port chosen by the kernel, with a <see cref="FakeAccount"/> behind it.</summary>
internal sealed class TestDaemon : IAsyncDisposable
{
    private TestDaemon(DaemonServer server, FakeAccount account)
    {
        Server = server;
        Account = account;
    }

    public DaemonServer Server { get; }

    public FakeAccount Account { get; }

    public IPEndPoint EndPoint => Server.LocalEndPoint!;

    public static TestDaemon Start(long maxCommandSize = DaemonOptions.DefaultMaxCommandSize, TimeSpan? grace = null, long? bufferBudget = null)
    {
        var account = new FakeAccount();
        var server = new DaemonServer(account, new DaemonOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MaxCommandSize = maxCommandSize,
            ShutdownGracePeriod = grace ?? TimeSpan.FromSeconds(5),
            CommandBufferBudget = bufferBudget ?? 2 * maxCommandSize,
        });
        server.Start();
        return new TestDaemon(server, account);
    }

    public Task<TestClient> ConnectAsync() => TestClient.ConnectAsync(EndPoint);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
