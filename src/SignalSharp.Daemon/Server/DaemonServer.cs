using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Api;
using SignalSharp.Daemon.Framing;

namespace SignalSharp.Daemon.Server;

/// <summary>
/// The TCP daemon: accepts connections and runs each on its own task, so a slow command on one connection never
/// delays another. Stopping closes the listener, lets commands in progress finish within the grace period, then
/// cancels what is left and closes every connection.
/// </summary>
public sealed class DaemonServer : IAsyncDisposable
{
    private readonly ISignalAccount account;
    private readonly DaemonOptions options;
    private readonly CommandBufferBudget bufferBudget;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource abort = new();
    private readonly ConcurrentDictionary<long, Task> connections = new();
    private Socket? listener;
    private Task acceptLoop = Task.CompletedTask;
    private Task? stopTask;
    private readonly IProtocolHandOff? handOff;
    private long nextConnectionId;

    /// <param name="handOff">A second protocol that connections may speak instead of the seed's (see <see cref="IProtocolHandOff"/>).</param>
    public DaemonServer(ISignalAccount account, DaemonOptions options, ILoggerFactory? loggerFactory = null, IProtocolHandOff? handOff = null)
    {
        this.account = account;
        this.options = options;
        bufferBudget = new CommandBufferBudget(Math.Max(options.CommandBufferBudget, 2 * options.MaxCommandSize));
        this.handOff = handOff;
        logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("SignalSharp.Daemon");
    }

    /// <summary>The bound address (with the real port when port 0 was asked for); null before <see cref="Start"/>.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Bytes that big commands hold in their buffers right now, across connections (for diagnostics and tests).</summary>
    public long BufferedCommandBytes => bufferBudget.Used;

    /// <summary>Completes when the server has stopped.</summary>
    public Task Completion => stopTask ?? acceptLoop;

    /// <summary>Binds, listens and starts accepting. Throws <see cref="SocketException"/> when the address is taken.</summary>
    public void Start()
    {
        if (listener is not null)
        {
            throw new InvalidOperationException("the daemon is already started");
        }

        var socket = new Socket(options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (options.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 && options.EndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(options.EndPoint);
            socket.Listen(options.ListenBacklog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Serve(socket);
    }

    /// <summary>
    /// Starts accepting on a TCP socket that already listens, handed over by the service manager (systemd socket
    /// activation); <see cref="DaemonOptions.EndPoint"/> is not used.
    /// </summary>
    public void Start(Socket listening)
    {
        if (listener is not null)
        {
            throw new InvalidOperationException("the daemon is already started");
        }

        Serve(listening);
    }

    private void Serve(Socket socket)
    {
        listener = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        ServerLog.Listening(logger, LocalEndPoint);
        if (!IPAddress.IsLoopback(LocalEndPoint.Address))
        {
            if (options.AuthToken is null)
            {
                ServerLog.NotLoopback(logger, LocalEndPoint);
            }
            else
            {
                ServerLog.NotLoopbackWithToken(logger, LocalEndPoint);
            }
        }

        acceptLoop = AcceptLoopAsync(socket);
    }

    /// <summary>Graceful stop; safe to call more than once. Completes when every connection is closed.</summary>
    public Task StopAsync() => stopTask ??= StopCoreAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        stopping.Dispose();
        abort.Dispose();
    }

    private async Task AcceptLoopAsync(Socket socket)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e) when (IsTransientAcceptError(e.SocketErrorCode))
            {
                // Out of file descriptors or a peer that reset before accept: keep serving everyone else.
                await Task.Delay(10).ConfigureAwait(false);
                continue;
            }
            catch (Exception e)
            {
                ServerLog.AcceptFailed(logger, e);
                return;
            }

            var id = Interlocked.Increment(ref nextConnectionId);
            var connection = new ClientConnection(id, client, account, options, bufferBudget, logger, handOff);
            var task = RunConnectionAsync(id, connection);
            connections[id] = task;
            if (task.IsCompleted)
            {
                connections.TryRemove(id, out _);
            }
        }
    }

    private async Task RunConnectionAsync(long id, ClientConnection connection)
    {
        // Start on the thread pool so that a burst of connections does not run on the accept loop.
        await Task.Yield();
        try
        {
            await connection.RunAsync(stopping.Token, abort.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ServerLog.ConnectionFailed(logger, id, e);
        }
        finally
        {
            connections.TryRemove(id, out _);
        }
    }

    private async Task StopCoreAsync()
    {
        if (listener is null)
        {
            return;
        }

        ServerLog.Stopping(logger, options.ShutdownGracePeriod);
        stopping.Cancel();
        listener.Dispose();
        await acceptLoop.ConfigureAwait(false);

        var all = Task.WhenAll(connections.Values);
        var finished = await Task.WhenAny(all, Task.Delay(options.ShutdownGracePeriod)).ConfigureAwait(false);
        if (finished != all)
        {
            abort.Cancel();
        }

        await Task.WhenAll(connections.Values).ConfigureAwait(false);
        ServerLog.Stopped(logger);
    }

    private static bool IsTransientAcceptError(SocketError error) =>
        error is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.TooManyOpenSockets
            or SocketError.NoBufferSpaceAvailable or SocketError.Interrupted;
}
