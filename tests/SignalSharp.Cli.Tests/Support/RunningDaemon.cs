using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Accounts;

namespace SignalSharp.Cli.Tests.Support;

/// <summary>`signal-sharp ... daemon --tcp` run in-process, with one TCP client speaking the JSON-line protocol to it.</summary>
internal sealed class RunningDaemon : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly TcpClient client = new();
    private Task<int> run = Task.FromResult(0);
    private StreamReader? reader;
    private NetworkStream? stream;

    public StringWriter Stderr { get; } = new();

    /// <summary>Starts `ARGS daemon --tcp ... DAEMONARGS` and connects.</summary>
    public static async Task<RunningDaemon> StartAsync(IReadOnlyList<string> args, IReadOnlyList<string>? daemonArgs = null, IAccountOpener? opener = null,
        CancellationToken cancellationToken = default)
    {
        var daemon = new RunningDaemon();
        var port = FreePort();
        daemon.run = CliApp.RunAsync([.. args, "daemon", "--tcp", $"127.0.0.1:{port}", .. daemonArgs ?? []], new StringWriter(), daemon.Stderr,
            new CliServices(opener ?? new StoredAccountOpener(), daemon.stop.Token));
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(daemon.run.IsCompleted, "daemon exited: " + daemon.Stderr);
            try
            {
                await daemon.client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                break;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        daemon.stream = daemon.client.GetStream();
        daemon.reader = new StreamReader(daemon.stream, Encoding.UTF8);
        return daemon;
    }

    /// <summary>Sends one command line and reads its one response.</summary>
    public async Task<JsonNode> CommandAsync(string line, CancellationToken cancellationToken)
    {
        await stream!.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        var response = await reader!.ReadLineAsync(cancellationToken);
        Assert.True(response is not null, "daemon closed the connection: " + Stderr);
        return JsonNode.Parse(response!)!;
    }

    public Task<JsonNode> SendTextAsync(string recipient, string text, CancellationToken cancellationToken) =>
        CommandAsync(new JsonObject
        {
            ["command"] = "send_message",
            ["recipient"] = recipient,
            ["dataMessage"] = new JsonObject { ["message"] = text },
        }.ToJsonString(), cancellationToken);

    /// <summary>Stops the daemon the way SIGTERM would; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await stop.CancelAsync();
        return await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        if (!run.IsCompleted)
        {
            await StopAsync();
        }

        stop.Dispose();
    }

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
