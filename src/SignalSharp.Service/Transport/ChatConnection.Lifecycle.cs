using Microsoft.Extensions.Logging;

namespace SignalSharp.Service.Transport;

// How a ChatConnection watches its socket and replaces it.
public sealed partial class ChatConnection
{
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
        }

        return headers;
    }

    // The supervisor may end only on shutdown or after Stop: one that ends any other way (a bug: an exception
    // nobody expected) would leave the connection dead with nobody reconnecting, so it is logged and restarted.
    private async Task RunSupervisorAsync(WebSocketConnection first)
    {
        WebSocketConnection? connection = first;
        for (var restarts = 1; ; restarts++)
        {
            try
            {
                await SuperviseAsync(connection).ConfigureAwait(false);
                if (shutdown.IsCancellationRequested || completion.Task.IsCompleted)
                {
                    return;
                }

                Log.SupervisorEnded(logger, Name, "it returned without a shutdown request", restarts);
            }
            catch (Exception e) when (!shutdown.IsCancellationRequested && !completion.Task.IsCompleted)
            {
                Log.SupervisorEnded(logger, Name, $"{e.GetType().Name}: {e.Message}", restarts);
            }
            catch (Exception) when (shutdown.IsCancellationRequested || completion.Task.IsCompleted)
            {
                return;
            }

            DropPublished();
            connection = await ReconnectAsync(reauthenticate: false).ConfigureAwait(false);
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
            WebSocketCloseInfo closed;
            using (var keepAliveStop = CancellationTokenSource.CreateLinkedTokenSource(shutdown.Token))
            {
                var keepAlive = KeepAliveAsync(connection, keepAliveStop.Token);
                closed = await connection.Completion.ConfigureAwait(false);
                await keepAliveStop.CancelAsync().ConfigureAwait(false);
                await keepAlive.ConfigureAwait(false);
                Unpublish();
                await connection.DisposeAsync().ConfigureAwait(false);
                if (shutdown.IsCancellationRequested)
                {
                    return;
                }

                if (opener.TerminalFailure(closed) is { } terminal)
                {
                    Log.GaveUp(logger, Name, terminal.Message);
                    Stop(terminal);
                    return;
                }
            }

            var reauthenticate = ChatSocketOpener.AsksToReauthenticate(closed);
            if (reauthenticate)
            {
                Log.ReauthenticationRequested(logger, Name);
            }

            var next = await ReconnectAsync(reauthenticate).ConfigureAwait(false);
            if (next is null)
            {
                return;
            }

            connection = next;
        }
    }

    // Backoff between attempts, or what the server asked for (Retry-After on 429/503). After a 4401 the first
    // attempt goes at once: it either logs in again or meets the 403 that ends the connection.
    private async Task<WebSocketConnection?> ReconnectAsync(bool reauthenticate)
    {
        var silentCloses = 0;
        var delay = reauthenticate ? TimeSpan.Zero : options.Reconnect.Delay(0);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await Task.Delay(delay, shutdown.Token).ConfigureAwait(false);
                var connection = await opener.OpenCheckedAsync(shutdown.Token).ConfigureAwait(false);
                Publish(connection);
                return connection;
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                return null;
            }
            catch (ServiceException e) when (ChatSocketOpener.IsTerminal(e)
                                             || (e is SilentCloseException && ++silentCloses >= ChatSocketOpener.SilentClosesMeaningRejected && opener.MockQuirks))
            {
                var reason = e is SilentCloseException ? opener.AfterSilentCloses(silentCloses) : e;
                Log.GaveUp(logger, Name, reason.Message);
                Stop(reason);
                return null;
            }
            catch (Exception e) when (!shutdown.IsCancellationRequested)
            {
                // Anything else, expected or not, is one failed attempt: this loop must never end by an exception.
                delay = options.Reconnect.Delay(attempt + 1);
                if (e is ServiceConnectionException { RetryAfter: { } asked, HttpStatus: { } status } && asked > delay)
                {
                    delay = asked;
                    Log.ServerAskedToWait(logger, Name, asked, status);
                }

                Log.ConnectFailed(logger, Name, attempt + 1, e.Message, delay);
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
}
