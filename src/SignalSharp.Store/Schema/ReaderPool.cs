using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace SignalSharp.Store.Schema;

/// <summary>A bounded set of open query-only connections. Microsoft.Data.Sqlite's own pool is off (so that
/// disposing the database really closes the files); this small pool keeps readers warm instead.</summary>
internal sealed class ReaderPool(Func<CancellationToken, Task<SqliteConnection>> open, int size) : IAsyncDisposable
{
    private readonly int size = size;
    private readonly SemaphoreSlim slots = new(size, size);
    private readonly ConcurrentBag<SqliteConnection> idle = [];
    private bool disposed;

    public async Task<T> UseAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection? connection = null;
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!idle.TryTake(out connection))
            {
                connection = await open(cancellationToken).ConfigureAwait(false);
            }

            var result = await work(connection).ConfigureAwait(false);
            // One idle reader is kept for the next read; the others a burst of concurrent reads opened are closed,
            // since each holds its own parsed schema and page cache (about 60 KiB) for as long as it lives, and a
            // multi-account daemon has one pool per account. Opening one again costs a file open and a schema read.
            if (idle.IsEmpty)
            {
                idle.Add(connection);
                connection = null;
            }

            return result;
        }
        finally
        {
            // A connection whose work threw may be mid-statement, or one more than the pool keeps idle: close it.
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            slots.Release();
        }
    }

    /// <summary>Closes the readers that are idle now (one in use goes back to the pool as usual); the next read opens one again.</summary>
    public async Task CloseIdleAsync()
    {
        while (idle.TryTake(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        // Wait until every borrowed connection is back, so none is left open behind our back.
        for (var i = 0; i < this.size; i++)
        {
            await slots.WaitAsync().ConfigureAwait(false);
        }

        while (idle.TryTake(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
