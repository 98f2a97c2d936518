namespace SignalSharp.Service.Transport;

/// <summary>
/// The socket a <see cref="ChatConnection"/> sends on right now, and the connection's state: senders wait here
/// while the supervisor replaces a broken socket; once the connection stops, waiting fails with the reason. It
/// opens and watches nothing itself.
/// </summary>
/// <param name="closing">Runs when the connection closes, after the state says so and before anything completes.</param>
internal sealed class ChatSocketSlot(string name, Action closing)
{
    private readonly Lock gate = new();
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<WebSocketConnection> current = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int state;
    private int waiters;

    public ChatConnectionState State => (ChatConnectionState)Volatile.Read(ref state);

    /// <summary>Completes when the connection stops for good; faults with the reason when that was not a dispose.</summary>
    public Task Completion => completion.Task;

    /// <summary>The published socket, or one to come.</summary>
    public Task<WebSocketConnection> Current()
    {
        lock (gate)
        {
            return current.Task;
        }
    }

    public void Publish(WebSocketConnection connection)
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

    /// <summary>Senders wait for the next socket from now on; <paramref name="idle"/>: it closes for want of use, not broken.</summary>
    public void Unpublish(bool idle = false)
    {
        lock (gate)
        {
            if (current.Task.IsCompleted)
            {
                current = new TaskCompletionSource<WebSocketConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        Volatile.Write(ref state, (int)(idle ? ChatConnectionState.Idle : ChatConnectionState.Reconnecting));
    }

    /// <summary>Cuts the published socket without a close handshake, as a network failure would.</summary>
    public void AbortCurrent()
    {
        var task = Current();
        if (task.IsCompletedSuccessfully)
        {
            task.Result.Abort();
        }
    }

    /// <summary>Unpublishes the socket and cuts it (after a supervisor failure, when it cannot be trusted).</summary>
    public void Drop()
    {
        var published = Current();
        Unpublish();
        if (published.IsCompletedSuccessfully)
        {
            published.Result.Abort();
        }
    }

    /// <summary>Waits for a published socket other than <paramref name="notThis"/> (one the caller saw die).</summary>
    /// <summary>
    /// Completes once a sender waits for a socket (at once while one does): a reconnect in backoff then tries
    /// without waiting out the rest of its delay, so a request after an outage is not held for up to a minute.
    /// </summary>
    public Task WantedAsync()
    {
        lock (gate)
        {
            if (Volatile.Read(ref waiters) > 0)
            {
                return Task.CompletedTask;
            }

            if (wanted.Task.IsCompleted)
            {
                wanted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return wanted.Task;
        }
    }

    public async Task<WebSocketConnection> WaitAsync(WebSocketConnection? notThis, CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = await WaitForCurrentAsync(cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(connection, notThis))
            {
                return connection;
            }

            // The supervisor has not noticed the death yet; it replaces the connection within moments.
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<WebSocketConnection> WaitForCurrentAsync(CancellationToken cancellationToken)
    {
        var pending = Current();
        if (pending.IsCompleted)
        {
            return await pending.ConfigureAwait(false);
        }

        Interlocked.Increment(ref waiters);
        lock (gate)
        {
            wanted.TrySetResult();
        }

        try
        {
            return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref waiters);
        }
    }

    /// <summary>Marks the connection closed for good; <paramref name="reason"/> null means it was disposed.</summary>
    public void Close(Exception? reason)
    {
        Volatile.Write(ref state, (int)ChatConnectionState.Closed);
        closing();
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
            current.TrySetException(reason ?? new ObjectDisposedException(name));
            // Nobody may be left waiting on an exception nobody observes.
            _ = current.Task.Exception;
        }
    }
}
