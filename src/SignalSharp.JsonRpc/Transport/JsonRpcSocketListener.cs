using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace SignalSharp.JsonRpc.Transport;

/// <summary>
/// Serves JSON-RPC on a TCP or UNIX stream socket, one session per connection. A UNIX socket file is made
/// owner-only (0600 in a 0700 folder) before anyone can connect, and removed on stop.
/// </summary>
public sealed class JsonRpcSocketListener : IAsyncDisposable
{
    private readonly JsonRpcFrontEnd frontEnd;
    private readonly EndPoint endPoint;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly HashSet<Task> sessions = [];
    private readonly Socket? inherited;
    private Socket? listener;
    private Task? acceptLoop;

    public JsonRpcSocketListener(JsonRpcFrontEnd frontEnd, EndPoint endPoint, ILogger logger)
    {
        this.frontEnd = frontEnd;
        this.endPoint = endPoint;
        this.logger = logger;
    }

    /// <summary>
    /// Serves a socket that already listens, handed over by the service manager (systemd socket activation): its file
    /// and mode are the manager's, so it is neither bound nor removed here.
    /// </summary>
    public JsonRpcSocketListener(JsonRpcFrontEnd frontEnd, Socket listening, ILogger logger)
        : this(frontEnd, listening.LocalEndPoint ?? new UnixDomainSocketEndPoint("inherited"), logger)
    {
        inherited = listening;
    }

    /// <summary>
    /// False for the control socket of one-shot commands: its connections are never subscribed unasked, whatever the
    /// receive mode (they take one answer and leave).
    /// </summary>
    public bool AutoSubscribe { get; init; } = true;

    /// <summary>What the listening log line names instead of the address, when the address carries something private (a number).</summary>
    public string? LogName { get; init; }

    /// <summary>The bound address (the real port when 0 was asked for).</summary>
    public EndPoint? LocalEndPoint => listener?.LocalEndPoint;

    public void Start()
    {
        if (inherited is not null)
        {
            Serve(inherited);
            return;
        }

        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint is UnixDomainSocketEndPoint unix)
            {
                var path = unix.ToString();
                UnixSocketPath.Prepare(path);
                socket.Bind(endPoint);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixSocketPath.SocketMode);
                }
            }
            else
            {
                socket.Bind(endPoint);
            }

            socket.Listen(64);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Serve(socket);
    }

    private void Serve(Socket socket)
    {
        listener = socket;
        TransportLog.Listening(logger, LogName ?? socket.LocalEndPoint?.ToString() ?? endPoint.ToString()!);
        acceptLoop = Task.Run(() => AcceptAsync(socket, stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener?.Dispose();
        if (acceptLoop is not null)
        {
            await acceptLoop.ConfigureAwait(false);
        }

        Task[] running;
        lock (sessions)
        {
            running = [.. sessions];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        if (inherited is null && endPoint is UnixDomainSocketEndPoint unix && File.Exists(unix.ToString()))
        {
            File.Delete(unix.ToString());
        }

        stop.Dispose();
    }

    private async Task AcceptAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            var session = ServeAsync(client, cancellationToken);
            lock (sessions)
            {
                sessions.Add(session);
            }

            _ = session.ContinueWith(
                done =>
                {
                    lock (sessions)
                    {
                        sessions.Remove(done);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var stream = new NetworkStream(client, ownsSocket: true);
            await using (stream.ConfigureAwait(false))
            {
                await frontEnd.ServeAsync(stream, stream, cancellationToken, autoSubscribe: AutoSubscribe, socket: client).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            TransportLog.ConnectionEnded(logger, e.GetType().Name);
        }
    }
}
