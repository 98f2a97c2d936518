using System.Globalization;
using Microsoft.Data.Sqlite;
using SignalSharp.Store.Contacts;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Recipients;
using SignalSharp.Store.Schema;
using SignalSharp.Store.Settings;

namespace SignalSharp.Store;

/// <summary>
/// One account's SQLite database (<c>account.db</c> in its own 0700 directory): WAL, foreign keys, a busy
/// timeout and the versioned schema. All writes go through one connection, one transaction at a time, so the
/// inbox's "stored, then acked" and "taken once" promises reduce to SQLite's own atomicity; reads use a small
/// pool of query-only connections that WAL lets run beside the writer.
/// This type does not interpret records: the stores it hands out do.
/// </summary>
public sealed class AccountDatabase : IAsyncDisposable
{
    public const string FileName = "account.db";

    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ReaderPool _readers;
    private readonly AsyncLocal<AmbientBox?> _ambient = new();
    private int _disposed;

    private AccountDatabase(string directory, string path, AccountDatabaseOptions options, SqliteConnection writer, int schemaVersion)
    {
        DirectoryPath = directory;
        DatabasePath = path;
        Options = options;
        _writer = writer;
        SchemaVersion = schemaVersion;
        _readers = new ReaderPool(ct => OpenConnectionAsync(path, options, readOnly: true, ct), Math.Max(1, options.MaxReaders));
        Settings = new AccountSettingsStore(this);
        Recipients = new RecipientStore(this);
        Contacts = new ContactStore(this);
        Inbox = new InboxStore(this);
    }

    public string DirectoryPath { get; }
    public string DatabasePath { get; }
    public int SchemaVersion { get; }
    internal AccountDatabaseOptions Options { get; }
    internal TimeProvider Time => Options.Time;

    public AccountSettingsStore Settings { get; }
    public RecipientStore Recipients { get; }
    public ContactStore Contacts { get; }
    public InboxStore Inbox { get; }

    /// <summary>Opens (creating if needed) the account database in <paramref name="accountDirectory"/> and brings
    /// its schema up to date.</summary>
    public static Task<AccountDatabase> OpenAsync(string accountDirectory, CancellationToken cancellationToken = default)
        => OpenAsync(accountDirectory, new AccountDatabaseOptions(), cancellationToken);

    public static Task<AccountDatabase> OpenAsync(string accountDirectory, AccountDatabaseOptions options, CancellationToken cancellationToken = default)
        => OpenAsync(accountDirectory, options, Migrations.All, cancellationToken);

    internal static async Task<AccountDatabase> OpenAsync(string accountDirectory, AccountDatabaseOptions options, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountDirectory);
        var directory = Path.GetFullPath(accountDirectory);
        FilePermissions.EnsurePrivateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        FilePermissions.EnsurePrivateFile(path);

        var writer = await OpenConnectionAsync(path, options, readOnly: false, cancellationToken).ConfigureAwait(false);
        try
        {
            // WAL is a property of the file (it persists); set it from the writer before anything else.
            await ExecuteAsync(writer, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            var version = await Migrator.MigrateAsync(writer, migrations, cancellationToken).ConfigureAwait(false);
            FilePermissions.TightenCompanions(path);
            return new AccountDatabase(directory, path, options, writer, version);
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<SqliteConnection> OpenConnectionAsync(string path, AccountDatabaseOptions options, bool readOnly, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var synchronous = options.Durability == Durability.Full ? "FULL" : "NORMAL";
            var busy = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            await ExecuteAsync(connection,
                $"PRAGMA busy_timeout = {busy}; PRAGMA synchronous = {synchronous};" + (readOnly ? " PRAGMA query_only = 1;" : ""),
                cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a transaction that every store call made from this async flow joins (reads included, so they see
    /// its uncommitted writes), until it is committed or disposed (rolled back). The receive pipeline uses it to
    /// make the ratchet's session update and the inbox item one commit: a crash leaves both or neither.
    /// Other flows' writes wait for it; keep it short.
    /// </summary>
    public Task<AccountTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
    {
        if (Ambient is not null)
            throw new InvalidOperationException("A transaction is already active in this flow.");
        // Set the flow's marker here, synchronously, in the caller's execution context: a value set inside an
        // async method would not flow back out to the caller.
        var box = new AmbientBox();
        _ambient.Value = box;
        return BeginCoreAsync(box, cancellationToken);
    }

    private async Task<AccountTransaction> BeginCoreAsync(AmbientBox box, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var transaction = new AccountTransaction(this, _writer.BeginTransaction(deferred: false));
            box.Transaction = transaction;
            return transaction;
        }
        catch
        {
            _writeLock.Release();
            throw;
        }
    }

    private sealed class AmbientBox
    {
        public AccountTransaction? Transaction;
    }

    internal void EndTransaction() => _writeLock.Release();

    private AccountTransaction? Ambient => _ambient.Value?.Transaction is { IsActive: true } t ? t : null;

    /// <summary>Runs <paramref name="work"/> atomically: in its own IMMEDIATE transaction on the single writer
    /// connection, or, inside <see cref="BeginTransactionAsync"/>, under a savepoint of that transaction.
    /// An exception undoes all of <paramref name="work"/>.</summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        if (Ambient is { } ambient)
        {
            const string savepoint = "store_op";
            ambient.Transaction.Save(savepoint);
            try
            {
                var inner = await work(_writer, ambient.Transaction).ConfigureAwait(false);
                ambient.Transaction.Release(savepoint);
                return inner;
            }
            catch
            {
                ambient.Transaction.Rollback(savepoint);
                ambient.Transaction.Release(savepoint);
                throw;
            }
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            using var transaction = _writer.BeginTransaction(deferred: false);
            var result = await work(_writer, transaction).ConfigureAwait(false);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    internal Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken)
        => WriteAsync<bool>(async (c, t) => { await work(c, t).ConfigureAwait(false); return true; }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> on a query-only connection (it sees the last committed state), or on
    /// the ambient transaction when there is one (the transaction argument is then non-null and must be used).</summary>
    internal Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction?, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Ambient is { } ambient)
            return work(_writer, ambient.Transaction);
        return _readers.UseAsync(c => work(c, null), cancellationToken);
    }

    /// <summary>Runs <paramref name="action"/> once the current write is visible to other connections: now, or
    /// when the ambient transaction commits (never, if it rolls back).</summary>
    internal void AfterCommit(Action action)
    {
        if (Ambient is { } ambient)
            ambient.OnCommitted(action);
        else
            action();
    }

    internal long NowMillis() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _readers.DisposeAsync().ConfigureAwait(false);
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
