namespace SignalSharp.Daemon.Tests.Support;

/// <summary>Base for tests that talk to one fresh daemon over one connection.</summary>
public abstract class ConnectedDaemonTest : IAsyncLifetime
{
    private protected TestDaemon Daemon { get; private set; } = null!;

    private protected TestClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = TestDaemon.Start();
        Client = await Daemon.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}
