using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SignalSharp.Store.Contacts;
using SignalSharp.Store.Conversations;
using SignalSharp.Store.Groups;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Protocol;
using SignalSharp.Store.Profiles;
using SignalSharp.Store.Recipients;
using SignalSharp.Store.Schema;
using SignalSharp.Store.Sent;
using SignalSharp.Store.Settings;
using SignalSharp.Store.Stickers;

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

    // Every database open in this process, for ReleaseMemoryOfAllAsync (a daemon's idle trim knows no accounts).
    private static readonly ConcurrentDictionary<AccountDatabase, byte> Open = new();

    private readonly SqliteConnection writer;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ReaderPool readers;
    private int disposed;

    private AccountDatabase(string directory, string path, AccountDatabaseOptions options, SqliteConnection writer, int schemaVersion)
    {
        DirectoryPath = directory;
        DatabasePath = path;
        Options = options;
        this.writer = writer;
        SchemaVersion = schemaVersion;
        Scope = new DirectScope(this);
        readers = new ReaderPool(ct => OpenConnectionAsync(path, options, readOnly: true, ct), Math.Max(1, options.MaxReaders));
        Settings = new AccountSettingsStore(Scope);
        Recipients = new RecipientStore(Scope);
        Contacts = new ContactStore(Scope);
        Profiles = new ProfileStore(Scope);
        BlockedGroups = new BlockedGroupStore(Scope);
        Inbox = new InboxStore(Scope);
        Groups = new GroupStore(Scope);
        SenderKeyShares = new SenderKeyShareStore(Scope);
        HeldMessages = new HeldMessageStore(Scope);
        SendLog = new SendLogStore(Scope);
        ExpirationTimers = new ExpirationTimerStore(Scope);
        StickerPacks = new StickerPackStore(Scope);
    }

    public string DirectoryPath { get; }
    public string DatabasePath { get; }
    public int SchemaVersion { get; }
    internal AccountDatabaseOptions Options { get; }
    internal TimeProvider Time => Options.Time;
    internal long NowMillis() => Scope.NowMillis();

    public AccountSettingsStore Settings { get; }
    public RecipientStore Recipients { get; }
    public ContactStore Contacts { get; }
    public ProfileStore Profiles { get; }
    public BlockedGroupStore BlockedGroups { get; }
    public InboxStore Inbox { get; }
    public GroupStore Groups { get; }
    public SenderKeyShareStore SenderKeyShares { get; }
    public HeldMessageStore HeldMessages { get; }
    public SendLogStore SendLog { get; }
    public ExpirationTimerStore ExpirationTimers { get; }
    public StickerPackStore StickerPacks { get; }

    /// <summary>The protocol stores of the account's ACI or PNI identity, each call its own transaction.</summary>
    public ProtocolStores ProtocolStores(AccountIdentity identity) => new(Scope, identity, Options.TrustNewIdentities);

    /// <summary>Opens (creating if needed) the account database in <paramref name="accountDirectory"/> and brings
    /// its schema up to date.</summary>
    public static Task<AccountDatabase> OpenAsync(string accountDirectory, CancellationToken cancellationToken = default)
        => OpenAsync(accountDirectory, new AccountDatabaseOptions(), cancellationToken);

    public static Task<AccountDatabase> OpenAsync(string accountDirectory, AccountDatabaseOptions options, CancellationToken cancellationToken = default)
        => OpenAsync(accountDirectory, options, Migrations.All, cancellationToken);

    internal static async Task<AccountDatabase> OpenAsync(string accountDirectory, AccountDatabaseOptions options, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountDirectory);
        // Microsoft.Data.Sqlite finds the native provider by reflection, which trimming/NativeAOT may remove;
        // initialising the bundled provider directly is idempotent and always works.
        SQLitePCL.Batteries_V2.Init();
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
            var database = new AccountDatabase(directory, path, options, writer, version);
            Open.TryAdd(database, 0);
            return database;
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
            NoLookaside(connection);
            var synchronous = options.Durability == Durability.Full ? "FULL" : "NORMAL";
            var busy = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            // A negative cache_size is in KiB; the page cache is allocated as pages are read, up to that bound.
            var cache = (-Math.Max(64, readOnly ? options.ReaderCacheKiB : options.WriterCacheKiB)).ToString(CultureInfo.InvariantCulture);
            await ExecuteAsync(connection,
                $"PRAGMA busy_timeout = {busy}; PRAGMA synchronous = {synchronous}; PRAGMA cache_size = {cache};" + (readOnly ? " PRAGMA query_only = 1;" : ""),
                cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Lookaside is SQLite's per-connection pool for small allocations (40 slots of 1,200 bytes by default), allocated at
    // open and kept for the connection's life: with one writer (and readers) per account in a multi-account daemon it
    // is paid per account, while its gain (fewer malloc calls) is small beside a statement's I/O. Without it SQLite
    // allocates from malloc as for anything else. A connection still holding lookaside memory keeps it (SQLITE_BUSY).
    private static void NoLookaside(SqliteConnection connection)
    {
        const int SqliteDbConfigLookaside = 1001;
        _ = SQLitePCL.raw.sqlite3_db_config(connection.Handle, SqliteDbConfigLookaside, IntPtr.Zero, 0, 0);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts one transaction over the whole account store. Only the stores the transaction hands out
    /// (<see cref="AccountTransaction.Inbox"/>, ...) run inside it, and see its uncommitted writes; the receive
    /// pipeline uses it to make the ratchet's session update and the inbox item one commit, so that a crash
    /// leaves both or neither. Every other write waits until it ends: keep it short, and never call this
    /// database's own stores for writes while holding it (that would wait for itself).
    /// </summary>
    public Task<AccountTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
        => BeginTransactionAsync(savepointPerCall: true, cancellationToken);

    /// <summary>
    /// As <see cref="BeginTransactionAsync(CancellationToken)"/>, but a store call is not a savepoint of its own: one
    /// that fails may leave part of its writes behind, so after any failed store call the caller must not commit, only
    /// dispose (which rolls everything back). It saves a SAVEPOINT and a RELEASE per call; for work that is all or
    /// nothing anyway, such as the receive batch.
    /// </summary>
    public Task<AccountTransaction> BeginAllOrNothingTransactionAsync(CancellationToken cancellationToken = default)
        => BeginTransactionAsync(savepointPerCall: false, cancellationToken);

    private async Task<AccountTransaction> BeginTransactionAsync(bool savepointPerCall, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            return new AccountTransaction(this, this.writer, this.writer.BeginTransaction(deferred: false), savepointPerCall);
        }
        catch
        {
            writeLock.Release();
            throw;
        }
    }

    internal void EndTransaction() => writeLock.Release();

    /// <summary>
    /// Copies the write-ahead log into the database and truncates it to nothing, so the space of pruned rows is
    /// reused instead of the log growing with every commit; readers still in the log can make it a partial one.
    /// </summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            await ExecuteAsync(writer, "PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>
    /// Frees what SQLite keeps cached for this database and does not need: the unused pages of the writer's page
    /// cache (<c>PRAGMA shrink_memory</c>), its prepared statements and the idle readers. Nothing is lost: pages are read again when needed.
    /// Waits for the writer like any write, so it never cuts into a transaction.
    /// </summary>
    public async Task ReleaseMemoryAsync(CancellationToken cancellationToken = default)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref disposed) != 0)
            {
                return;
            }

            // The writer's prepared statements go first, so that shrink_memory can give their pages back too.
            StatementCache.Clear(writer);
            await ExecuteAsync(writer, "PRAGMA shrink_memory;", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }

        // An idle reader is closed rather than shrunk: its parsed schema and lookaside go too, and reopening one
        // (a file open and a schema read) is cheap beside what it keeps while a daemon is idle.
        await readers.CloseIdleAsync().ConfigureAwait(false);
    }

    /// <summary><see cref="ReleaseMemoryAsync"/> on every database open in this process (a daemon going idle).</summary>
    public static async Task ReleaseMemoryOfAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var database in Open.Keys)
        {
            await database.ReleaseMemoryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The scope of this database's own stores: each call its own transaction.</summary>
    internal StoreScope Scope { get; }

    internal Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
        => Scope.WriteAsync(work, cancellationToken);

    internal Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken)
        => Scope.WriteAsync(work, cancellationToken);

    internal Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction?, Task<T>> work, CancellationToken cancellationToken)
        => Scope.ReadAsync(work, cancellationToken);

    /// <summary>Each call in its own IMMEDIATE transaction on the single writer connection; reads on the
    /// query-only pool, seeing the last committed state.</summary>
    private sealed class DirectScope(AccountDatabase database) : StoreScope(database)
    {
        public override async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
        {
            await Database.writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref Database.disposed) != 0, Database);
                using var transaction = Database.writer.BeginTransaction(deferred: false);
                var result = await work(Database.writer, transaction).ConfigureAwait(false);
                transaction.Commit();
                return result;
            }
            finally
            {
                Database.writeLock.Release();
            }
        }

        public override Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction?, Task<T>> work, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref Database.disposed) != 0, Database);
            return Database.readers.UseAsync(c => work(c, null), cancellationToken);
        }

        public override void AfterCommit(Action action) => action();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        Open.TryRemove(this, out _);

        await readers.DisposeAsync().ConfigureAwait(false);
        await writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await this.writer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }
}
