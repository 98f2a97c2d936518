using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Service.Transport;

namespace SignalSharp.Account;

/// <summary>
/// The account's boundary for calls from front ends: a call that needs the server waits for the start, fails at once
/// with the clear reason when the account stopped (or stops under it), and a database that cannot be used becomes
/// <see cref="StoreUnavailableException"/>; each call is mapped here once.
/// </summary>
internal sealed class AccountServing(ChatConnection chat, TimeSpan connectWait, ILogger logger)
{
    private readonly TaskCompletionSource<AccountStoppedException> stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? starting;

    public Task<AccountStoppedException> Stopped => stopped.Task;

    /// <summary>Records the start that calls needing the server wait for.</summary>
    public Task Begin(Func<Task> start)
    {
        // Callers come in once this returns (the daemon listens then), so they all find the start to wait for; none
        // of the connect runs on the caller's thread, which goes on to open the listeners.
        starting = Task.Run(start, CancellationToken.None);
        return starting;
    }

    /// <summary>
    /// Waits for the start; throws what made it fail. While the server has never answered (a daemon that keeps trying
    /// its first connect), a call gives up after the connect wait as a request does after a cut, so that every
    /// command is answered.
    /// </summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (starting is not { } pending)
        {
            return;
        }

        try
        {
            await pending.WaitAsync(connectWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (chat.ConnectCount == 0)
        {
            throw new Service.ServiceConnectionException($"not connected: the server did not answer within {connectWait.TotalSeconds:0.#} s; still trying");
        }
        catch (TimeoutException)
        {
            await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A call that needs the server and the store.</summary>
    public async Task<T> ServedAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        await StartedAsync(cancellationToken).ConfigureAwait(false);
        if (StoppedByChat() is { } before)
        {
            throw before;
        }

        try
        {
            return await StoredAsync(operation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Service.ServiceException or SendFailedException && StoppedByChat() is { } during)
        {
            // An operation that meets the stop halfway (its socket refused mid-send) fails with the same clear reason
            // instead of whatever the connection threw.
            throw during;
        }
    }

    /// <summary>A call that needs only the store.</summary>
    public Task<T> StoredAsync<T>(Func<Task<T>> operation) => StoreGuard.RunAsync(operation);

    /// <summary>The reason the account stopped, when the chat connection ended with a refusal no reconnect can fix.</summary>
    public AccountStoppedException? StoppedByChat()
    {
        if (stopped.Task.IsCompleted)
        {
            return stopped.Task.Result;
        }

        return chat.Completion.IsFaulted && AccountStops.From(chat.Completion.Exception!.InnerException) is { } refused ? MarkStopped(refused) : null;
    }

    public AccountStoppedException MarkStopped(AccountStoppedException reason)
    {
        if (stopped.TrySetResult(reason))
        {
            AccountLog.AccountStopped(logger, reason.Reason.ToString());
        }

        return stopped.Task.Result;
    }
}
