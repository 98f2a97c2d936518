using Microsoft.Extensions.Logging;

namespace SignalSharp.Service.Transport;

// How a ChatConnection opens, checks, watches and replaces its socket.
public sealed partial class ChatConnection
{
    private async Task<WebSocketConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var socket = await connect(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref connects);
        Log.Connected(logger, Name, Url);
        return new WebSocketConnection(socket, Name, logger, OnServerRequest);
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
            // The mock reads credentials only from the CONNECT request's Authorization header (no query login).
            headers.Add(new("Authorization", credentials.BasicAuthorization));
        }

        return headers;
    }

    // A bad password still gets CONNECT 200 and only then a close with 3000, so a round trip tells which it was.
    // The mock resets the HTTP/2 stream right behind that close frame, and .NET then loses the frame: a socket
    // that dies silently before its first answer, again and again, is taken as a rejection too.
    private async Task<WebSocketConnection> OpenCheckedAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (credentials is null)
        {
            return connection;
        }

        try
        {
            await connection.SendRequestAsync(WebSocketRequest.Get("/v1/keepalive"), options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (ServiceConnectionException)
        {
            var closed = await connection.Completion.ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw TerminalFailure(closed) ?? new SilentCloseException($"{Name}: the socket closed right after connecting ({closed})");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private ServiceAuthenticationException RejectedAfterSilentCloses() =>
        new($"{Name}: the server closed the authenticated socket right after connecting, {SilentClosesMeaningRejected} times in a row; the credentials are most likely wrong");

    // The supervisor may end only on shutdown or after Stop: one that ends any other way (a bug: an exception
    // nobody expected) would leave the connection dead with nobody reconnecting, so it is logged and restarted.
    private async Task RunSupervisorAsync(WebSocketConnection first)
    {
        WebSocketConnection? connection = first;
        for (var restarts = 0; ; restarts++)
        {
            try
            {
                await SuperviseAsync(connection).ConfigureAwait(false);
                if (shutdown.IsCancellationRequested || completion.Task.IsCompleted)
                {
                    return;
                }

                Log.SupervisorEnded(logger, Name, "it returned without a shutdown request", restarts + 1);
            }
            catch (Exception e) when (!shutdown.IsCancellationRequested && !completion.Task.IsCompleted)
            {
                Log.SupervisorEnded(logger, Name, $"{e.GetType().Name}: {e.Message}", restarts + 1);
            }
            catch (Exception) when (shutdown.IsCancellationRequested || completion.Task.IsCompleted)
            {
                return;
            }

            DropPublished();
            connection = await ReconnectAsync().ConfigureAwait(false);
            if (connection is null)
            {
                return;
            }
        }
    }

    private void DropPublished()
    {
        var published = CurrentConnection();
        Unpublish();
        if (published.IsCompletedSuccessfully)
        {
            published.Result.Abort();
        }
    }

    private async Task SuperviseAsync(WebSocketConnection connection)
    {
        while (true)
        {
            using (var keepAliveStop = CancellationTokenSource.CreateLinkedTokenSource(shutdown.Token))
            {
                var keepAlive = KeepAliveAsync(connection, keepAliveStop.Token);
                var closed = await connection.Completion.ConfigureAwait(false);
                await keepAliveStop.CancelAsync().ConfigureAwait(false);
                await keepAlive.ConfigureAwait(false);
                Unpublish();
                await connection.DisposeAsync().ConfigureAwait(false);
                if (shutdown.IsCancellationRequested)
                {
                    return;
                }

                if (TerminalFailure(closed) is { } terminal)
                {
                    Log.GaveUp(logger, Name, terminal.Message);
                    Stop(terminal);
                    return;
                }
            }

            var next = await ReconnectAsync().ConfigureAwait(false);
            if (next is null)
            {
                return;
            }

            connection = next;
        }
    }

    private async Task<WebSocketConnection?> ReconnectAsync()
    {
        var silentCloses = 0;
        for (var attempt = 0; ; attempt++)
        {
            var delay = options.Reconnect.Delay(attempt);
            try
            {
                await Task.Delay(delay, shutdown.Token).ConfigureAwait(false);
                var connection = await OpenCheckedAsync(shutdown.Token).ConfigureAwait(false);
                Publish(connection);
                return connection;
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                return null;
            }
            catch (ServiceException e) when (e is ServiceAuthenticationException or ConnectionReplacedException
                                             || (e is SilentCloseException && ++silentCloses >= SilentClosesMeaningRejected))
            {
                var reason = e is SilentCloseException ? RejectedAfterSilentCloses() : e;
                Log.GaveUp(logger, Name, reason.Message);
                Stop(reason);
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !shutdown.IsCancellationRequested)
            {
                // Anything else, expected or not, is one failed attempt: the loop must never end by an exception.
                Log.ConnectFailed(logger, Name, attempt + 1, e.Message, options.Reconnect.Delay(attempt + 1));
            }
        }
    }

    private async Task KeepAliveAsync(WebSocketConnection connection, CancellationToken cancellationToken)
    {
        if (options.KeepAliveInterval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (true)
            {
                await Task.Delay(options.KeepAliveInterval, cancellationToken).ConfigureAwait(false);
                try
                {
                    await connection.SendRequestAsync(WebSocketRequest.Get("/v1/keepalive"), options.KeepAliveTimeout, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref keepAlivesAnswered);
                }
                catch (Exception e) when (e is RequestTimeoutException or ServiceConnectionException)
                {
                    Log.KeepAliveFailed(logger, Name, e.Message);
                    connection.Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private ServiceException? TerminalFailure(WebSocketCloseInfo closed) => closed.Code switch
    {
        CloseAuthenticationFailed => new ServiceAuthenticationException($"{Name}: the server rejected the credentials (close code 3000)"),
        CloseReplaced => new ConnectionReplacedException(),
        _ => null,
    };
}

/// <summary>An authenticated socket closed before answering anything, without a close code.</summary>
internal sealed class SilentCloseException(string message) : ServiceException(message);
