using Microsoft.Extensions.Logging;

namespace SignalSharp.Service.Transport;

/// <summary>
/// Watches a <see cref="ChatConnection"/>'s socket and replaces it: keepalives while it is open, and after it breaks
/// a reconnect with backoff (or at once, when the server asked to log in again), until the server refuses for good
/// or the connection shuts down. With <see cref="ChatConnectionOptions.IdleClose"/> it also closes a socket nobody
/// uses and opens the next one only when a sender waits for it. It sends no caller's requests.
/// </summary>
/// <param name="goIdle">
/// Asked while the socket is open, when <see cref="ChatConnectionOptions.IdleClose"/> is set: zero when the connection
/// unpublished the socket for want of use just now (no request in flight, none for that long), otherwise how long to
/// wait before asking again.
/// </param>
internal sealed class ChatSupervisor(ChatSocketOpener opener, ChatConnectionOptions options, ChatSocketSlot slot, Action<Exception> stop,
    string name, ILogger logger, CancellationToken shutdown, Func<TimeSpan>? goIdle = null)
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
            connection = await ReconnectAsync(atOnce: false).ConfigureAwait(false);
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
            // Null: the socket was unused for IdleClose and is closed on purpose.
            WebSocketCloseInfo? closed;
            using (var keepAliveStop = CancellationTokenSource.CreateLinkedTokenSource(shutdown))
            {
                var keepAlive = KeepAliveAsync(connection, keepAliveStop.Token);
                closed = await ClosedOrIdleAsync(connection, keepAliveStop.Token).ConfigureAwait(false);
                await keepAliveStop.CancelAsync().ConfigureAwait(false);
                await keepAlive.ConfigureAwait(false);
                slot.Unpublish(idle: closed is null);
                await connection.DisposeAsync().ConfigureAwait(false);
                if (shutdown.IsCancellationRequested)
                {
                    return;
                }

                if (closed is { } ended && opener.TerminalFailure(ended) is { } terminal)
                {
                    Log.GaveUp(logger, name, terminal.Message);
                    stop(terminal);
                    return;
                }
            }

            bool atOnce;
            if (closed is not { } how)
            {
                Log.ClosedWhileIdle(logger, name, options.IdleClose ?? TimeSpan.Zero);
                if (!await WantedAgainAsync().ConfigureAwait(false))
                {
                    return;
                }

                atOnce = true;
            }
            else
            {
                atOnce = ChatSocketOpener.AsksToReauthenticate(how);
                if (atOnce)
                {
                    Log.ReauthenticationRequested(logger, name);
                }
            }

            var next = await ReconnectAsync(atOnce).ConfigureAwait(false);
            if (next is null)
            {
                return;
            }

            connection = next;
        }
    }

    /// <summary>The socket's close (its close info), or null once the connection let it go for want of use.</summary>
    private async Task<WebSocketCloseInfo?> ClosedOrIdleAsync(WebSocketConnection connection, CancellationToken cancellationToken)
    {
        if (goIdle is null)
        {
            return await connection.Completion.ConfigureAwait(false);
        }

        using var watchStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var idle = WatchIdleAsync(goIdle, watchStop.Token);
        if (await Task.WhenAny(connection.Completion, idle).ConfigureAwait(false) == idle && await idle.ConfigureAwait(false))
        {
            return null;
        }

        await watchStop.CancelAsync().ConfigureAwait(false);
        await idle.ConfigureAwait(false);
        return await connection.Completion.ConfigureAwait(false);
    }

    // True once the connection went idle; false when stopped first.
    private static async Task<bool> WatchIdleAsync(Func<TimeSpan> goIdle, CancellationToken cancellationToken)
    {
        try
        {
            for (var wait = goIdle(); wait > TimeSpan.Zero; wait = goIdle())
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    // After an idle close: true once a sender waits for a socket, false on shutdown.
    private async Task<bool> WantedAgainAsync()
    {
        try
        {
            await slot.WantedAsync().WaitAsync(shutdown).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return false;
        }
    }

    // Backoff between attempts, or what the server asked for (Retry-After on 429/503). After a 4401 the first
    // attempt goes at once: it either logs in again or meets the 403 that ends the connection; so does the first
    // one after an idle close, for the sender waiting.
    private async Task<WebSocketConnection?> ReconnectAsync(bool atOnce)
    {
        var silentCloses = 0;
        var delay = atOnce ? TimeSpan.Zero : options.Reconnect.Delay(0);
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
