using System.Net.Http;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Transport;

/// <summary>
/// The chat WebSocket (<c>/v1/websocket/</c>), authenticated or not, kept open: requests with timeouts, the
/// server's requests handed to <see cref="IncomingRequests"/>, keepalives, and reconnects with exponential backoff
/// and jitter after the socket breaks. Close code 3000 (bad credentials) and 4409 (replaced by another socket of
/// the same device) stop it for good, since reconnecting cannot help.
/// </summary>
public sealed partial class ChatConnection : IAsyncDisposable
{
    private static readonly TimeSpan SilentCloseRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly ChatCredentials? credentials;
    private readonly ChatConnectionOptions options;
    private readonly ILogger logger;
    private readonly HttpMessageInvoker? invoker;
    private readonly ChatSocketOpener opener;
    private readonly Channel<IncomingRequest> incoming = Channel.CreateUnbounded<IncomingRequest>(new UnboundedChannelOptions { SingleReader = false });
    private readonly CancellationTokenSource shutdown = new();
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock gate = new();
    private TaskCompletionSource<WebSocketConnection> current = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? supervisor;
    private int keepAlivesAnswered;
    private int state;

    public ChatConnection(ServerProfile profile, ChatCredentials? credentials = null, ChatConnectionOptions? options = null, ILogger? logger = null)
    {
        this.credentials = credentials;
        this.options = options ?? new ChatConnectionOptions();
        this.logger = logger ?? NullLogger.Instance;
        var http = new HttpMessageInvoker(ServiceHttpHandler.Create(profile), disposeHandler: true);
        invoker = http;
        Url = profile.ChatEndpoints[0].ChatWebSocketUrl;
        Name = credentials is null ? "chat" : "chat(auth)";
        var connector = new ChatEndpointConnector(profile.ChatEndpoints, http, provisioning: false, Name, this.logger);
        opener = new ChatSocketOpener(
            cancellationToken => connector.ConnectAsync(Headers(), this.options.ConnectTimeout, cancellationToken),
            Url, credentials is not null, profile.MockQuirks, this.options, Name, this.logger, OnServerRequest);
    }

    /// <summary>For tests: sockets come from <paramref name="connect"/>; <paramref name="mockQuirks"/> as a profile would say.</summary>
    internal ChatConnection(Func<CancellationToken, Task<System.Net.WebSockets.WebSocket>> connect, ChatCredentials? credentials, ChatConnectionOptions options, ILogger? logger, bool mockQuirks = true)
    {
        this.credentials = credentials;
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
        Url = new Uri("wss://test.invalid/v1/websocket/");
        Name = "chat(test)";
        opener = new ChatSocketOpener(connect, Url, credentials is not null, mockQuirks, options, Name, this.logger, OnServerRequest);
    }

    private Uri Url { get; }

    public string Name { get; }

    public bool IsAuthenticated => credentials is not null;

    public ChatConnectionState State => (ChatConnectionState)Volatile.Read(ref state);

    /// <summary>How many times a socket was opened (1 after <see cref="StartAsync"/>, +1 per reconnect).</summary>
    public int ConnectCount => opener.ConnectCount;

    /// <summary>Keepalives the server answered (for tests and diagnostics).</summary>
    internal int KeepAlivesAnswered => Volatile.Read(ref keepAlivesAnswered);

    /// <summary>
    /// Requests the server sends us, across reconnects. Each must be answered with
    /// <see cref="IncomingRequest.RespondAsync"/>; envelopes only after they are safely stored.
    /// </summary>
    public ChannelReader<IncomingRequest> IncomingRequests => incoming.Reader;

    /// <summary>Completes when the connection stops for good; faults with the reason when that was not <see cref="DisposeAsync"/>.</summary>
    public Task Completion => completion.Task;

    /// <summary>Opens the socket; throws when the first attempt fails (nothing is retried before the caller knows the server is there).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (supervisor is not null || shutdown.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{Name} was already started");
            }

            supervisor = Task.CompletedTask;
        }

        WebSocketConnection connection;
        for (var silentCloses = 1; ; silentCloses++)
        {
            try
            {
                connection = await opener.OpenCheckedAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (SilentCloseException e) when (silentCloses < ChatSocketOpener.SilentClosesMeaningRejected)
            {
                Log.ConnectFailed(logger, Name, silentCloses, e.Message, SilentCloseRetryDelay);
                await Task.Delay(SilentCloseRetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                supervisor = null;
                throw e is SilentCloseException ? opener.AfterSilentCloses(silentCloses) : e;
            }
        }

        Publish(connection);
        supervisor = Task.Run(() => RunSupervisorAsync(connection));
    }

    /// <summary>Sends a request and waits for its response; waits for a reconnect first if the socket is down.</summary>
    /// <exception cref="RequestTimeoutException">No response (or no connection) within the request's timeout.</exception>
    /// <exception cref="ServiceConnectionException">The socket broke before the response came.</exception>
    public async Task<WebSocketResponse> SendAsync(WebSocketRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(shutdown.IsCancellationRequested, this);
        if (Volatile.Read(ref supervisor) is null)
        {
            throw new InvalidOperationException($"{Name}: call StartAsync before sending");
        }

        var timeout = request.Timeout ?? options.RequestTimeout;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        WebSocketConnection? dead = null;
        while (true)
        {
            var connection = await WaitForConnectionAsync(request, timeout, dead, cancellationToken).ConfigureAwait(false);
            var left = timeout - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new RequestTimeoutException(request.Verb, request.Path, timeout);
            }

            try
            {
                return await connection.SendRequestAsync(request, left, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceConnectionException e) when (!e.RequestMayHaveBeenSent)
            {
                // The socket died before the request left: safe to send it on the next one, within the same timeout.
                dead = connection;
            }
        }
    }

    private async Task<WebSocketConnection> WaitForConnectionAsync(WebSocketRequest request, TimeSpan timeout, WebSocketConnection? notThis, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Token);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var connection = await CurrentConnection().WaitAsync(deadline.Token).ConfigureAwait(false);
                if (!ReferenceEquals(connection, notThis))
                {
                    return connection;
                }

                // The supervisor has not noticed the death yet; it replaces the connection within moments.
                await Task.Delay(10, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (completion.Task.IsFaulted)
            {
                throw completion.Task.Exception!.InnerException!;
            }

            ObjectDisposedException.ThrowIf(shutdown.IsCancellationRequested, this);
            throw new RequestTimeoutException(request.Verb, request.Path, timeout);
        }
    }

    /// <summary>Cuts the current socket without a close handshake, as a network failure would; the connection then reconnects.</summary>
    public void DropCurrentSocket()
    {
        Task<WebSocketConnection> task;
        lock (gate)
        {
            task = current.Task;
        }

        if (task.IsCompletedSuccessfully)
        {
            task.Result.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (shutdown.IsCancellationRequested)
        {
            return;
        }

        shutdown.Cancel();
        Task<WebSocketConnection> last;
        lock (gate)
        {
            last = current.Task;
        }

        if (last.IsCompletedSuccessfully)
        {
            await last.Result.DisposeAsync().ConfigureAwait(false);
        }

        if (supervisor is not null)
        {
            await supervisor.ConfigureAwait(false);
        }

        Stop(null);
        invoker?.Dispose();
        shutdown.Dispose();
    }

    private Task<WebSocketConnection> CurrentConnection()
    {
        lock (gate)
        {
            return current.Task;
        }
    }

    private void OnServerRequest(IncomingRequest request)
    {
        if (!incoming.Writer.TryWrite(request))
        {
            Log.RequestDropped(logger, Name, request.Verb, request.Path);
        }
    }

    private void Publish(WebSocketConnection connection)
    {
        lock (gate)
        {
            if (!current.TrySetResult(connection))
            {
                current = new TaskCompletionSource<WebSocketConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
                current.SetResult(connection);
            }
        }

        Volatile.Write(ref state, (int)ChatConnectionState.Connected);
    }

    private void Unpublish()
    {
        lock (gate)
        {
            if (current.Task.IsCompleted)
            {
                current = new TaskCompletionSource<WebSocketConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        Volatile.Write(ref state, (int)ChatConnectionState.Reconnecting);
    }

    private void Stop(Exception? reason)
    {
        Volatile.Write(ref state, (int)ChatConnectionState.Closed);
        incoming.Writer.TryComplete();
        if (reason is null)
        {
            completion.TrySetResult();
        }
        else
        {
            completion.TrySetException(reason);
        }

        lock (gate)
        {
            current.TrySetException(reason ?? new ObjectDisposedException(Name));
            // Nobody may be left waiting on an exception nobody observes.
            _ = current.Task.Exception;
        }
    }
}
