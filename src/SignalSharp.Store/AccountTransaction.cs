using Microsoft.Data.Sqlite;

namespace SignalSharp.Store;

/// <summary>
/// An explicit transaction over the whole account store (see <see cref="AccountDatabase.BeginTransactionAsync"/>).
/// Store calls made from the flow that began it join it. Dispose without <see cref="CommitAsync"/> rolls back.
/// </summary>
public sealed class AccountTransaction : IAsyncDisposable
{
    private bool _finished;
    private List<Action>? _onCommitted;

    internal AccountTransaction(AccountDatabase database, SqliteTransaction transaction)
    {
        Database = database;
        Transaction = transaction;
    }

    internal AccountDatabase Database { get; }
    internal SqliteTransaction Transaction { get; }
    internal bool IsActive => !_finished;

    /// <summary>Makes every write of this transaction durable (per the database's <see cref="Durability"/>).</summary>
    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Transaction.Commit();
        }
        finally
        {
            Finish();
        }
        foreach (var action in _onCommitted ?? [])
            action();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            try
            {
                Transaction.Rollback();
            }
            finally
            {
                Finish();
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Defers a notification (such as "the inbox has new items") until the data is visible to others.</summary>
    internal void OnCommitted(Action action) => (_onCommitted ??= []).Add(action);

    private void Finish()
    {
        _finished = true;
        Transaction.Dispose();
        Database.EndTransaction();
    }
}
