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
/// the same device) stop it for good, since reconnecting cannot help. The socket in use is <see cref="ChatSocketSlot"/>
/// and its upkeep (keepalives, reconnects) is <see cref="ChatSupervisor"/>; this class is what callers use.
/// </summary>
public sealed class ChatConnection : IAsyncDisposable
{
    private static readonly TimeSpan SilentCloseRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly ChatCredentials? credentials;
    private readonly ChatConnectionOptions options;
    private readonly ILogger logger;
    private readonly HttpMessageInvoker? invoker;
    private readonly ChatSocketOpener opener;
    private readonly Channel<IncomingRequest> incoming = Channel.CreateUnbounded<IncomingRequest>(new UnboundedChannelOptions { SingleReader = false });
    private readonly CancellationTokenSource shutdown = new();
    private readonly Lock startGate = new();
    private readonly ChatSocketSlot slot;
    private readonly ChatSupervisor supervisor;
    private readonly Lock useGate = new();
    private int inUse;
    private long lastUsed = System.Diagnostics.Stopwatch.GetTimestamp();
    private Task? supervising;

    public ChatConnection(ServerProfile profile, ChatCredentials? credentials = null, ChatConnectionOptions? options = null, ILogger? logger = null)
    {
        this.credentials = credentials;
        this.options = options ?? new ChatConnectionOptions();
        this.logger = logger ?? NullLogger.Instance;
        var http = new HttpMessageInvoker(ServiceHttpHandler.Create(profile), disposeHandler: true);
        invoker = http;
        Name = credentials is null ? "chat" : "chat(auth)";
        var connector = new ChatEndpointConnector(profile.ChatEndpoints, http, provisioning: false, Name, this.logger);
        opener = new ChatSocketOpener(
            cancellationToken => connector.ConnectAsync(Headers(), this.options.ConnectTimeout, cancellationToken),
            profile.ChatEndpoints[0].ChatWebSocketUrl, credentials is not null, profile.MockQuirks, this.options, Name, this.logger, OnServerRequest);
        slot = new ChatSocketSlot(Name, () => incoming.Writer.TryComplete());
        supervisor = new ChatSupervisor(opener, this.options, slot, Stop, Name, this.logger, shutdown.Token, IdleWatch(this.options, credentials));
    }

    /// <summary>For tests: sockets come from <paramref name="connect"/>; <paramref name="mockQuirks"/> as a profile would say.</summary>
    internal ChatConnection(Func<CancellationToken, Task<System.Net.WebSockets.WebSocket>> connect, ChatCredentials? credentials, ChatConnectionOptions options, ILogger? logger, bool mockQuirks = true)
    {
        this.credentials = credentials;
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
        Name = "chat(test)";
        opener = new ChatSocketOpener(connect, new Uri("wss://test.invalid/v1/websocket/"), credentials is not null, mockQuirks, options, Name, this.logger, OnServerRequest);
        slot = new ChatSocketSlot(Name, () => incoming.Writer.TryComplete());
        supervisor = new ChatSupervisor(opener, options, slot, Stop, Name, this.logger, shutdown.Token, IdleWatch(options, credentials));
    }

    // An authenticated socket is how the server delivers messages: it never closes for want of requests.
    private Func<TimeSpan>? IdleWatch(ChatConnectionOptions options, ChatCredentials? credentials)
    {
        if (options.IdleClose is not { } idle)
        {
            return null;
        }

        if (credentials is not null || idle <= TimeSpan.Zero)
        {
            throw new ArgumentException("IdleClose is for an unauthenticated connection, and must be positive", nameof(options));
        }

        return () => GoIdleIfUnused(idle);
    }

    // Under the same lock as a request's start, so that no request takes the socket the supervisor is about to close.
    private TimeSpan GoIdleIfUnused(TimeSpan idle)
    {
        lock (useGate)
        {
            if (inUse > 0)
            {
                return idle;
            }

            var left = idle - System.Diagnostics.Stopwatch.GetElapsedTime(lastUsed);
            if (left > TimeSpan.Zero)
            {
                return left;
            }

            slot.Unpublish(idle: true);
            return TimeSpan.Zero;
        }
    }

    public string Name { get; }

    public bool IsAuthenticated => credentials is not null;

    public ChatConnectionState State => slot.State;

    /// <summary>How many times a socket was opened (1 after <see cref="StartAsync"/>, +1 per reconnect).</summary>
    public int ConnectCount => opener.ConnectCount;

    /// <summary>Keepalives the server answered (for tests and diagnostics).</summary>
    internal int KeepAlivesAnswered => supervisor.KeepAlivesAnswered;

    /// <summary>
    /// Requests the server sends us, across reconnects. Each must be answered with
    /// <see cref="IncomingRequest.RespondAsync"/>; envelopes only after they are safely stored.
    /// </summary>
    public ChannelReader<IncomingRequest> IncomingRequests => incoming.Reader;

    /// <summary>Completes when the connection stops for good; faults with the reason when that was not <see cref="DisposeAsync"/>.</summary>
    public Task Completion => slot.Completion;

    /// <summary>Opens the socket; throws when the first attempt fails (nothing is retried before the caller knows the server is there).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => StartAsync(untilConnected: false, cancellationToken);

    /// <summary>
    /// Opens the socket. With <paramref name="untilConnected"/> a failed attempt is retried with the reconnect backoff
    /// until one succeeds, the server refuses for good, or <paramref name="cancellationToken"/> ends it: a daemon that
    /// starts while the network or the server is not there yet comes up once they are, as after any later cut.
    /// </summary>
    public async Task StartAsync(bool untilConnected, CancellationToken cancellationToken)
    {
        lock (startGate)
        {
            if (supervising is not null || shutdown.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{Name} was already started");
            }

            supervising = Task.CompletedTask;
        }

        WebSocketConnection connection;
        var silentCloses = 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                connection = await opener.OpenCheckedAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (SilentCloseException e) when (++silentCloses < ChatSocketOpener.SilentClosesMeaningRejected)
            {
                Log.ConnectFailed(logger, Name, attempt, e.Message, SilentCloseRetryDelay);
                await DelayOrResetAsync(SilentCloseRetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (untilConnected && IsWorthAnotherAttempt(e, cancellationToken))
            {
                var delay = options.Reconnect.Delay(Math.Min(attempt - 1, 16));
                Log.ConnectFailed(logger, Name, attempt, e.Message, delay);
                await DelayOrResetAsync(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                supervising = null;
                throw e is SilentCloseException ? opener.AfterSilentCloses(silentCloses) : e;
            }
        }

        lock (useGate)
        {
            // An idle close counts from the socket's start, not from the connection object's.
            lastUsed = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        slot.Publish(connection);
        supervising = Task.Run(() => supervisor.RunAsync(connection));
    }

    // A refusal no reconnect can fix (bad credentials, an unlinked device, a rejected client) ends the start at once.
    private static bool IsWorthAnotherAttempt(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && !ChatSocketOpener.IsTerminal(e) && e is not SilentCloseException;

    // A start given up by its caller leaves the connection startable again.
    private async Task DelayOrResetAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            supervising = null;
            throw;
        }
    }

    /// <summary>Sends a request and waits for its response; waits for a reconnect first if the socket is down.</summary>
    /// <exception cref="RequestTimeoutException">No response (or no connection) within the request's timeout.</exception>
    /// <exception cref="ServiceConnectionException">The socket broke before the response came.</exception>
    public async Task<WebSocketResponse> SendAsync(WebSocketRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(shutdown.IsCancellationRequested, this);
        if (Volatile.Read(ref supervising) is null)
        {
            throw new InvalidOperationException($"{Name}: call StartAsync before sending");
        }

        var timeout = request.Timeout ?? options.RequestTimeout;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        WebSocketConnection? dead = null;
        lock (useGate)
        {
            inUse++;
        }

        try
        {
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
        finally
        {
            lock (useGate)
            {
                inUse--;
                lastUsed = System.Diagnostics.Stopwatch.GetTimestamp();
            }
        }
    }

    private async Task<WebSocketConnection> WaitForConnectionAsync(WebSocketRequest request, TimeSpan timeout, WebSocketConnection? notThis, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Token);
        deadline.CancelAfter(timeout);
        try
        {
            return await slot.WaitAsync(notThis, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (slot.Completion.IsFaulted)
            {
                throw slot.Completion.Exception!.InnerException!;
            }

            ObjectDisposedException.ThrowIf(shutdown.IsCancellationRequested, this);
            throw new RequestTimeoutException(request.Verb, request.Path, timeout);
        }
    }

    /// <summary>Cuts the current socket without a close handshake, as a network failure would; the connection then reconnects.</summary>
    public void DropCurrentSocket() => slot.AbortCurrent();

    public async ValueTask DisposeAsync()
    {
        if (shutdown.IsCancellationRequested)
        {
            return;
        }

        shutdown.Cancel();
        var last = slot.Current();
        if (last.IsCompletedSuccessfully)
        {
            await last.Result.DisposeAsync().ConfigureAwait(false);
        }

        if (supervising is not null)
        {
            await supervising.ConfigureAwait(false);
        }

        Stop(null);
        invoker?.Dispose();
        shutdown.Dispose();
    }

    private List<KeyValuePair<string, string>> Headers()
    {
        List<KeyValuePair<string, string>> headers =
        [
            new("User-Agent", options.UserAgent),
            new("X-Signal-Agent", options.UserAgent),
        ];
        if (credentials is not null)
        {
            // Production and the mock read credentials only from the upgrade's Authorization header (no query login).
            headers.Add(new("Authorization", credentials.BasicAuthorization));
            headers.Add(new("X-Signal-Receive-Stories", options.ReceiveStories ? "true" : "false"));
        }

        return headers;
    }

    private void OnServerRequest(IncomingRequest request)
    {
        if (!incoming.Writer.TryWrite(request))
        {
            Log.RequestDropped(logger, Name, request.Verb, request.Path);
        }
    }

    private void Stop(Exception? reason) => slot.Close(reason);
}
