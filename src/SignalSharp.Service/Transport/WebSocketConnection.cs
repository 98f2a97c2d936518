using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Service.Proto;

namespace SignalSharp.Service.Transport;

/// <summary>How a WebSocket ended: the peer's close code, or the exception that broke it.</summary>
internal sealed record WebSocketCloseInfo(WebSocketCloseStatus? Status, string? Description, Exception? Error)
{
    public int? Code => Status is { } status ? (int)status : null;

    public override string ToString() =>
        Error is not null ? $"broken ({Error.GetType().Name}: {Error.Message})" : $"closed ({Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"} {Description})";
}

/// <summary>
/// One open WebSocket speaking Signal's request/response framing: our requests get ids and wait for their
/// response; the server's requests go to <c>onRequest</c>. Does NOT reconnect (see <see cref="ChatConnection"/>)
/// and does not know what any path means.
/// </summary>
internal sealed class WebSocketConnection : IAsyncDisposable
{
    // Far above any real message (attachments travel over HTTPS); a bound keeps a broken peer from exhausting memory.
    private const int MaxMessageBytes = 16 * 1024 * 1024;

    private readonly WebSocket socket;
    private readonly ILogger logger;
    private readonly Action<IncomingRequest> onRequest;
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<WebSocketResponse>> pending = new();
    private readonly SemaphoreSlim sendGate = new(1, 1);
    private readonly CancellationTokenSource lifetime = new();
    private readonly Task<WebSocketCloseInfo> readLoop;
    private long nextId;
    private int malformedFrames;
    private int disposed;

    public WebSocketConnection(WebSocket socket, string name, ILogger logger, Action<IncomingRequest> onRequest)
    {
        this.socket = socket;
        this.logger = logger;
        this.onRequest = onRequest;
        Name = name;
        readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>For logs: which socket this is.</summary>
    public string Name { get; }

    /// <summary>Completes (never faults) when the socket is closed or broken.</summary>
    public Task<WebSocketCloseInfo> Completion => readLoop;

    /// <summary>Frames that were not valid <c>WebSocketMessage</c>s and were skipped.</summary>
    public int MalformedFrames => Volatile.Read(ref malformedFrames);

    public async Task<WebSocketResponse> SendRequestAsync(WebSocketRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = (ulong)Interlocked.Increment(ref nextId);
        var completion = new TaskCompletionSource<WebSocketResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = completion;
        try
        {
            if (readLoop.IsCompleted)
            {
                throw Closed(await readLoop.ConfigureAwait(false), sent: false);
            }

            var message = new WebSocketMessage
            {
                Type = WebSocketMessage.Types.Type.Request,
                Request = new WebSocketRequestMessage { Verb = request.Verb, Path = request.Path, Id = id },
            };
            if (!request.Body.IsEmpty)
            {
                message.Request.Body = ByteString.CopyFrom(request.Body.Span);
            }

            message.Request.Headers.Add(request.Headers);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                try
                {
                    await SendAsync(message, deadline.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException
                                              || (e is OperationCanceledException && !deadline.IsCancellationRequested))
                {
                    // A socket aborted under a send (the peer cut it while our read loop was failing) throws
                    // OperationCanceledException with no token of ours cancelled: that is a dead socket, not a cancel.
                    throw new ServiceConnectionException($"{Name}: {request.Verb} {request.Path} could not be sent: {e.Message}", e) { RequestMayHaveBeenSent = false };
                }

                return await completion.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                Log.RequestTimedOut(logger, Name, request.Verb, request.Path, id);
                throw new RequestTimeoutException(request.Verb, request.Path, timeout);
            }
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    /// <summary>Answers a server request. False when the socket is already gone.</summary>
    public async Task<bool> TrySendResponseAsync(ulong id, int status, CancellationToken cancellationToken)
    {
        var message = new WebSocketMessage
        {
            Type = WebSocketMessage.Types.Type.Response,
            Response = new WebSocketResponseMessage { Id = id, Status = (uint)status, Message = status is >= 200 and < 300 ? "OK" : "Error" },
        };
        try
        {
            await SendAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.ResponseDropped(logger, Name, id, e.Message);
            return false;
        }
    }

    /// <summary>Drops the socket at once (no close handshake), failing every pending request.</summary>
    public void Abort()
    {
        if (Volatile.Read(ref disposed) != 0)
        {
            return;
        }

        lifetime.Cancel();
        socket.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (!readLoop.IsCompleted && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", grace.Token).ConfigureAwait(false);
                await readLoop.WaitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or TimeoutException)
            {
                // A peer that does not finish the close handshake is simply cut off below.
            }
        }

        await lifetime.CancelAsync().ConfigureAwait(false);
        socket.Abort();
        await readLoop.ConfigureAwait(false);
        socket.Dispose();
        // The CancellationTokenSource and the semaphore are left to the GC: an IncomingRequest may still try to
        // answer on this connection from another thread, and must get "socket gone", not ObjectDisposedException.
    }

    private async Task SendAsync(WebSocketMessage message, CancellationToken cancellationToken)
    {
        var bytes = message.ToByteArray();
        await sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sendGate.Release();
        }
    }

    private async Task<WebSocketCloseInfo> ReadLoopAsync()
    {
        WebSocketCloseInfo info;
        try
        {
            info = await ReceiveUntilClosedAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or ServiceProtocolException)
        {
            info = new WebSocketCloseInfo(null, null, e);
        }

        Log.SocketEnded(logger, Name, info.ToString());
        var failure = Closed(info);
        foreach (var entry in pending)
        {
            entry.Value.TrySetException(failure);
        }

        return info;
    }

    private const int ReceiveChunk = 4 * 1024;

    private const int KeptBufferBytes = 64 * 1024;

    private async Task<WebSocketCloseInfo> ReceiveUntilClosedAsync()
    {
        // Small to start with (an idle account keeps this buffer for as long as its socket lives, and a daemon may
        // serve many accounts); it grows for a large message, and is given up after one so that a burst's largest
        // message is not kept for good.
        var buffer = new ArrayBufferWriter<byte>(ReceiveChunk);
        while (true)
        {
            if (buffer.Capacity > KeptBufferBytes)
            {
                buffer = new ArrayBufferWriter<byte>(ReceiveChunk);
            }

            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.GetMemory(ReceiveChunk), lifetime.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // The close code is what counts (4401, 4409, ...): a peer that drops the stream right behind its
                    // close frame must not turn it into a "broken" socket while we answer.
                    var closed = new WebSocketCloseInfo(socket.CloseStatus, socket.CloseStatusDescription, null);
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        try
                        {
                            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, grace.Token).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
                        {
                            Log.CloseAnswerFailed(logger, Name, e.Message);
                        }
                    }

                    return closed;
                }

                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxMessageBytes)
                {
                    throw new ServiceProtocolException($"{Name}: a message exceeded {MaxMessageBytes} bytes");
                }
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Text)
            {
                Skip("a text frame");
                continue;
            }

            Dispatch(buffer.WrittenSpan);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> frame)
    {
        WebSocketMessage message;
        try
        {
            message = WebSocketMessage.Parser.ParseFrom(frame);
        }
        catch (InvalidProtocolBufferException)
        {
            Skip("an unparseable frame");
            return;
        }

        switch (message.Type)
        {
            case WebSocketMessage.Types.Type.Response when message.Response is { } response:
                // No id means id 0, as protobuf defaults do.
                if (pending.TryRemove(response.Id, out var waiter))
                {
                    waiter.TrySetResult(new WebSocketResponse(
                        (int)response.Status,
                        response.HasMessage ? response.Message : null,
                        [.. response.Headers],
                        response.Body.Memory));
                }
                else
                {
                    Log.UnexpectedResponse(logger, Name, response.Id);
                }

                break;
            case WebSocketMessage.Types.Type.Request when message.Request is { } request:
                Log.ServerRequest(logger, Name, request.Verb, request.Path, request.Id);
                onRequest(new IncomingRequest(this, request.Id, request.Verb, request.Path, [.. request.Headers], request.Body.Memory));
                break;
            default:
                Skip($"a message of type {message.Type} without its payload");
                break;
        }
    }

    private void Skip(string what)
    {
        Interlocked.Increment(ref malformedFrames);
        Log.MalformedFrame(logger, Name, what);
    }

    private ServiceConnectionException Closed(WebSocketCloseInfo info, bool sent = true) =>
        new($"{Name} {info}", info.Error) { RequestMayHaveBeenSent = sent };
}
