using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace SignalSharp.Store.Schema;

/// <summary>A bounded set of open query-only connections. Microsoft.Data.Sqlite's own pool is off (so that
/// disposing the database really closes the files); this small pool keeps readers warm instead.</summary>
internal sealed class ReaderPool(Func<CancellationToken, Task<SqliteConnection>> open, int size) : IAsyncDisposable
{
    private readonly int _size = size;
    private readonly SemaphoreSlim _slots = new(size, size);
    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private bool _disposed;

    public async Task<T> UseAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection? connection = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_idle.TryTake(out connection))
                connection = await open(cancellationToken).ConfigureAwait(false);
            var result = await work(connection).ConfigureAwait(false);
            _idle.Add(connection);
            connection = null;
            return result;
        }
        finally
        {
            // A connection whose work threw may be mid-statement: drop it rather than reuse it.
            if (connection is not null)
                await connection.DisposeAsync().ConfigureAwait(false);
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        // Wait until every borrowed connection is back, so none is left open behind our back.
        for (var i = 0; i < _size; i++)
            await _slots.WaitAsync().ConfigureAwait(false);
        while (_idle.TryTake(out var connection))
            await connection.DisposeAsync().ConfigureAwait(false);
    }
}
