using Microsoft.Extensions.Logging;

namespace SignalSharp.Service.Transport;

/// <summary>
/// Watches a <see cref="ChatConnection"/>'s socket and replaces it: keepalives while it is open, and after it breaks
/// a reconnect with backoff (or at once, when the server asked to log in again), until the server refuses for good
/// or the connection shuts down. It sends no caller's requests.
/// </summary>
internal sealed class ChatSupervisor(ChatSocketOpener opener, ChatConnectionOptions options, ChatSocketSlot slot, Action<Exception> stop,
    string name, ILogger logger, CancellationToken shutdown)
{
    private int keepAlivesAnswered;

    /// <summary>Keepalives the server answered (for tests and diagnostics).</summary>
    public int KeepAlivesAnswered => Volatile.Read(ref keepAlivesAnswered);

    private bool Ended => shutdown.IsCancellationRequested || slot.Completion.IsCompleted;

    // The supervisor may end only on shutdown or after a stop: one that ends any other way (a bug: an exception
    // nobody expected) would leave the connection dead with nobody reconnecting, so it is logged and restarted.
    public async Task RunAsync(WebSocketConnection first)
    {
        WebSocketConnection? connection = first;
        for (var restarts = 1; ; restarts++)
        {
            try
            {
                await SuperviseAsync(connection).ConfigureAwait(false);
                if (Ended)
                {
                    return;
                }

                Log.SupervisorEnded(logger, name, "it returned without a shutdown request", restarts);
            }
            catch (Exception e) when (!Ended)
            {
                Log.SupervisorEnded(logger, name, $"{e.GetType().Name}: {e.Message}", restarts);
            }
            catch (Exception) when (Ended)
            {
                return;
            }

            slot.Drop();
            connection = await ReconnectAsync(reauthenticate: false).ConfigureAwait(false);
            if (connection is null)
            {
                return;
            }
        }
    }

    private async Task SuperviseAsync(WebSocketConnection connection)
    {
        while (true)
        {
            WebSocketCloseInfo closed;
            using (var keepAliveStop = CancellationTokenSource.CreateLinkedTokenSource(shutdown))
            {
                var keepAlive = KeepAliveAsync(connection, keepAliveStop.Token);
                closed = await connection.Completion.ConfigureAwait(false);
                await keepAliveStop.CancelAsync().ConfigureAwait(false);
                await keepAlive.ConfigureAwait(false);
                slot.Unpublish();
                await connection.DisposeAsync().ConfigureAwait(false);
                if (shutdown.IsCancellationRequested)
                {
                    return;
                }

                if (opener.TerminalFailure(closed) is { } terminal)
                {
                    Log.GaveUp(logger, name, terminal.Message);
                    stop(terminal);
                    return;
                }
            }

            var reauthenticate = ChatSocketOpener.AsksToReauthenticate(closed);
            if (reauthenticate)
            {
                Log.ReauthenticationRequested(logger, name);
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
        var serverAsked = false;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await BackOffAsync(delay, wakeable: !serverAsked).ConfigureAwait(false);
                serverAsked = false;
                var connection = await opener.OpenCheckedAsync(shutdown).ConfigureAwait(false);
                slot.Publish(connection);
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
                Log.GaveUp(logger, name, reason.Message);
                stop(reason);
                return null;
            }
            catch (Exception e) when (!shutdown.IsCancellationRequested)
            {
                // Anything else, expected or not, is one failed attempt: this loop must never end by an exception.
                delay = options.Reconnect.Delay(attempt + 1);
                if (e is ServiceConnectionException { RetryAfter: { } asked, HttpStatus: { } status } && asked > delay)
                {
                    delay = asked;
                    serverAsked = true;
                    Log.ServerAskedToWait(logger, name, asked, status);
                }

                Log.ConnectFailed(logger, name, attempt + 1, e.Message, delay);
            }
        }
    }

    // A sender waiting for the socket cuts a long backoff short, though never below the first step of the backoff (a
    // burst of sends while the server is away costs one attempt a second at most). A wait the server asked for is kept.
    private async Task BackOffAsync(TimeSpan delay, bool wakeable)
    {
        var floor = options.Reconnect.Initial;
        if (!wakeable || delay <= floor)
        {
            await Task.Delay(delay, shutdown).ConfigureAwait(false);
            return;
        }

        await Task.Delay(floor, shutdown).ConfigureAwait(false);
        var rest = Task.Delay(delay - floor, shutdown);
        await Task.WhenAny(rest, slot.WantedAsync()).ConfigureAwait(false);
        shutdown.ThrowIfCancellationRequested();
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
                    Log.KeepAliveFailed(logger, name, e.Message);
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
