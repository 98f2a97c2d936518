namespace SignalSharp.Account.Api;

/// <summary>
/// What <see cref="ISignalAccount.ReceiveAsync"/> handed out: items leased to one caller. The daemon confirms them
/// once the response carrying them was written to the client's socket; disposing the batch without that puts them
/// back for the next caller (the client went away, or the daemon is closing the connection). So an item is lost
/// neither to a client that vanished mid-reply nor handed out twice to clients that got their replies.
/// </summary>
public sealed class ReceivedBatch : IAsyncDisposable
{
    private const int Open = 0;
    private const int Confirmed = 1;
    private const int Released = 2;

    private readonly Func<CancellationToken, Task>? confirm;
    private readonly Func<Task>? release;
    private int state;

    /// <param name="items">The items, in the order they arrived.</param>
    /// <param name="confirm">Marks them delivered for good; null when there is nothing to confirm.</param>
    /// <param name="release">Puts them back for the next caller; null when there is nothing to put back.</param>
    public ReceivedBatch(IReadOnlyList<ReceivedItem> items, Func<CancellationToken, Task>? confirm = null, Func<Task>? release = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        this.confirm = confirm;
        this.release = release;
    }

    /// <summary>A batch with no items (the wait timed out).</summary>
    public static ReceivedBatch Empty => new([]);

    public IReadOnlyList<ReceivedItem> Items { get; }

    public bool IsConfirmed => Volatile.Read(ref state) == Confirmed;

    public bool IsReleased => Volatile.Read(ref state) == Released;

    /// <summary>
    /// The items reached their client. Once called, disposing no longer releases them, even when the confirmation
    /// itself fails: the client has them, and handing them out again now would deliver them twice (a lease whose
    /// confirmation was lost is released when the account next opens).
    /// </summary>
    public Task ConfirmAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref state, Confirmed, Open) != Open)
        {
            throw new InvalidOperationException("the batch was already confirmed or released");
        }

        return confirm?.Invoke(cancellationToken) ?? Task.CompletedTask;
    }

    /// <summary>Releases the items unless they were confirmed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.CompareExchange(ref state, Released, Open) == Open && release is not null)
        {
            await release().ConfigureAwait(false);
        }
    }
}
