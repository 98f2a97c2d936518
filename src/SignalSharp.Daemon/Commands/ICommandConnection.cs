using SignalSharp.Daemon.Json;

namespace SignalSharp.Daemon.Commands;

/// <summary>The connection as a command sees it: where its answer goes, and whether the client went away.</summary>
internal interface ICommandConnection : IResponseSink
{
    /// <summary>While a command waits: cancels <paramref name="onReset"/> if the client resets the connection.</summary>
    IResetWatch WatchForReset(CancellationTokenSource onReset);

    /// <summary>
    /// After a flush: false when the client cannot have read it (it reset, or its input ended and its side did not
    /// take the bytes), so items carried by the answer must go back instead of being confirmed.
    /// </summary>
    ValueTask<bool> AnswerTakenAsync(CancellationToken cancellationToken);
}

/// <summary>A watch on the client while a command waits; disposing it ends the watch.</summary>
internal interface IResetWatch : IAsyncDisposable
{
    /// <summary>The client reset the connection while the watch ran.</summary>
    bool ResetSeen { get; }
}
