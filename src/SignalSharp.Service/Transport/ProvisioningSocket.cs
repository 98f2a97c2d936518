using System.Net.Http;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Proto;

namespace SignalSharp.Service.Transport;

/// <summary>
/// The provisioning socket (<c>/v1/websocket/provisioning/</c>) a new device opens before it is linked. The server
/// first sends <c>PUT /v1/address</c> (the address for the <c>sgnl://linkdevice</c> URI), and, once the primary
/// has scanned it, <c>PUT /v1/message</c> with the encrypted <c>ProvisionEnvelope</c>. Both are answered with 200.
/// Only one provisioning socket should be open per server at a time: the mock matches them first in, first out.
/// </summary>
public sealed class ProvisioningSocket : IAsyncDisposable
{
    private readonly HttpMessageInvoker invoker;
    private readonly WebSocketConnection connection;
    private readonly Channel<IncomingRequest> requests;
    private readonly TaskCompletionSource<string> address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<byte[]> envelope = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task pump;
    private readonly Task keepAlive;
    private readonly CancellationTokenSource stop = new();
    private readonly ILogger logger;

    private ProvisioningSocket(
        HttpMessageInvoker invoker, WebSocketConnection connection, Channel<IncomingRequest> requests, TimeSpan keepAliveInterval, TimeSpan keepAliveTimeout, ILogger logger)
    {
        this.invoker = invoker;
        this.connection = connection;
        this.requests = requests;
        this.logger = logger;
        pump = Task.Run(PumpAsync);
        keepAlive = Task.Run(() => KeepAliveAsync(keepAliveInterval, keepAliveTimeout));
    }

    /// <summary>Production closes a provisioning socket after 60 s without traffic; a keepalive well inside that.</summary>
    public static TimeSpan DefaultKeepAliveInterval { get; } = TimeSpan.FromSeconds(25);

    /// <summary>How long a keepalive's answer is awaited before it counts as lost (the next one is sent anyway).</summary>
    public static TimeSpan DefaultKeepAliveTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Completes when the socket has ended (the server closes it after linking, or after 90 s in production).</summary>
    public Task Closed => connection.Completion;

    /// <summary>Keepalives (<c>GET /v1/keepalive/provisioning</c>) the server answered.</summary>
    public int KeepAlivesAnswered => Volatile.Read(ref keepAlivesAnswered);

    private int keepAlivesAnswered;

    public static async Task<ProvisioningSocket> ConnectAsync(
        ServerProfile profile, ILogger? logger = null, TimeSpan? connectTimeout = null, CancellationToken cancellationToken = default, TimeSpan? keepAliveInterval = null,
        TimeSpan? keepAliveTimeout = null)
    {
        logger ??= NullLogger.Instance;
        var invoker = new HttpMessageInvoker(ServiceHttpHandler.Create(profile), disposeHandler: true);
        try
        {
            var connector = new ChatEndpointConnector(profile.ChatEndpoints, invoker, provisioning: true, "provisioning", logger);
            var socket = await connector.ConnectAsync([], connectTimeout ?? TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
            var requests = Channel.CreateUnbounded<IncomingRequest>();
            var connection = new WebSocketConnection(socket, "provisioning", logger, r => requests.Writer.TryWrite(r));
            return new ProvisioningSocket(
                invoker, connection, requests, keepAliveInterval ?? DefaultKeepAliveInterval, keepAliveTimeout ?? DefaultKeepAliveTimeout, logger);
        }
        catch
        {
            invoker.Dispose();
            throw;
        }
    }

    /// <summary>The provisioning address (a UUID string) to put into the link URI.</summary>
    public Task<string> WaitForAddressAsync(CancellationToken cancellationToken = default) =>
        address.Task.WaitAsync(cancellationToken);

    /// <summary>The serialized <c>ProvisionEnvelope</c>, still encrypted to our ephemeral key.</summary>
    public Task<byte[]> WaitForEnvelopeAsync(CancellationToken cancellationToken = default) =>
        envelope.Task.WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
        await pump.ConfigureAwait(false);
        await keepAlive.ConfigureAwait(false);
        stop.Dispose();
        invoker.Dispose();
    }

    // Keepalives go out at the interval whether or not the last one was answered: one lost answer must not silence
    // the socket, or production closes it as idle after 60 s. A socket that really died ends by itself (Closed), and
    // whoever links opens a new one then.
    private async Task KeepAliveAsync(TimeSpan interval, TimeSpan timeout)
    {
        var outstanding = new List<Task>();
        try
        {
            while (!connection.Completion.IsCompleted)
            {
                await Task.WhenAny(Task.Delay(interval, stop.Token), connection.Completion).ConfigureAwait(false);
                stop.Token.ThrowIfCancellationRequested();
                if (connection.Completion.IsCompleted)
                {
                    break;
                }

                outstanding.RemoveAll(t => t.IsCompleted);
                outstanding.Add(KeepAliveOnceAsync(timeout));
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }

        await Task.WhenAll(outstanding).ConfigureAwait(false);
    }

    private async Task KeepAliveOnceAsync(TimeSpan timeout)
    {
        try
        {
            var answer = await connection.SendRequestAsync(WebSocketRequest.Get("/v1/keepalive/provisioning"), timeout, stop.Token).ConfigureAwait(false);
            if (answer.Status == 200)
            {
                Interlocked.Increment(ref keepAlivesAnswered);
            }
        }
        catch (RequestTimeoutException)
        {
            Log.ProvisioningKeepAliveLost(logger, timeout);
        }
        catch (Exception e) when (e is OperationCanceledException or ServiceException)
        {
            // Disposed, or the socket ended: the pump reports the end to whoever waits for the address or envelope.
        }
    }

    private async Task PumpAsync()
    {
        var ended = connection.Completion.ContinueWith(_ => requests.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var request in requests.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var status = Handle(request);
            await request.RespondAsync(status).ConfigureAwait(false);
        }

        await ended.ConfigureAwait(false);
        var closed = await connection.Completion.ConfigureAwait(false);
        var failure = new ServiceConnectionException($"provisioning socket {closed} before linking finished", closed.Error);
        address.TrySetException(failure);
        envelope.TrySetException(failure);
        _ = address.Task.Exception;
        _ = envelope.Task.Exception;
    }

    private int Handle(IncomingRequest request)
    {
        switch (request.Verb, request.Path)
        {
            case ("PUT", "/v1/address"):
                try
                {
                    var parsed = ProvisioningAddress.Parser.ParseFrom(request.Body.Span);
                    if (string.IsNullOrEmpty(parsed.Address))
                    {
                        return 400;
                    }

                    address.TrySetResult(parsed.Address);
                    return 200;
                }
                catch (InvalidProtocolBufferException)
                {
                    return 400;
                }

            case ("PUT", "/v1/message"):
                envelope.TrySetResult(request.Body.ToArray());
                return 200;
            default:
                return 404;
        }
    }
}
