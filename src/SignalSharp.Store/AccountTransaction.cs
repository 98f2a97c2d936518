using Microsoft.Data.Sqlite;
using SignalSharp.Store.Contacts;
using SignalSharp.Store.Groups;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Protocol;
using SignalSharp.Store.Profiles;
using SignalSharp.Store.Recipients;
using SignalSharp.Store.Schema;
using SignalSharp.Store.Settings;

namespace SignalSharp.Store;

/// <summary>
/// One transaction over the whole account store (see <see cref="AccountDatabase.BeginTransactionAsync"/>).
/// The stores it exposes run inside it; each of their calls is a savepoint, so a failing call undoes only
/// itself (unless begun with <see cref="AccountDatabase.BeginAllOrNothingTransactionAsync"/>). Disposing without
/// <see cref="CommitAsync"/> rolls everything back.
/// </summary>
public sealed class AccountTransaction : IAsyncDisposable
{
    private readonly SqliteTransaction transaction;
    private readonly TransactionScope scope;
    private List<Action>? onCommitted;
    private bool finished;

    internal AccountTransaction(AccountDatabase database, SqliteConnection connection, SqliteTransaction transaction, bool savepointPerCall)
    {
        Database = database;
        this.transaction = transaction;
        scope = new TransactionScope(this, connection, savepointPerCall);
        Settings = new AccountSettingsStore(scope);
        Recipients = new RecipientStore(scope);
        Contacts = new ContactStore(scope);
        Profiles = new ProfileStore(scope);
        BlockedGroups = new BlockedGroupStore(scope);
        Inbox = new InboxStore(scope, database.Inbox);
        Groups = new GroupStore(scope);
        SenderKeyShares = new SenderKeyShareStore(scope);
        HeldMessages = new HeldMessageStore(scope);
    }

    public AccountDatabase Database { get; }
    public AccountSettingsStore Settings { get; }
    public RecipientStore Recipients { get; }
    public ContactStore Contacts { get; }
    public ProfileStore Profiles { get; }
    public BlockedGroupStore BlockedGroups { get; }
    public InboxStore Inbox { get; }
    public GroupStore Groups { get; }
    public SenderKeyShareStore SenderKeyShares { get; }
    public HeldMessageStore HeldMessages { get; }

    /// <summary>The protocol stores of the ACI or PNI identity, running inside this transaction.</summary>
    public ProtocolStores ProtocolStores(AccountIdentity identity) => new(scope, identity, Database.Options.TrustNewIdentities);
    internal StoreScope Scope => scope;

    /// <summary>Makes every write of this transaction durable (per the database's <see cref="Durability"/>).</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await scope.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(finished, this);
            try
            {
                this.transaction.Commit();
            }
            finally
            {
                Finish();
            }
        }
        finally
        {
            scope.Gate.Release();
        }

        foreach (var action in onCommitted ?? [])
        {
            action();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await scope.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (finished)
            {
                return;
            }

            try
            {
                this.transaction.Rollback();
            }
            finally
            {
                Finish();
            }
        }
        finally
        {
            scope.Gate.Release();
        }
    }

    private void Finish()
    {
        finished = true;
        this.transaction.Dispose();
        Database.EndTransaction();
    }

    /// <summary>Calls on the transaction's connection, one at a time (a connection is not for concurrent use),
    /// each under a savepoint unless the transaction is all or nothing.</summary>
    private sealed class TransactionScope(AccountTransaction owner, SqliteConnection connection, bool savepointPerCall) : StoreScope(owner.Database)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public override async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
        {
            await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ObjectDisposedException.ThrowIf(owner.finished, owner);
                if (!savepointPerCall)
                {
                    return await work(connection, owner.transaction).ConfigureAwait(false);
                }

                const string savepoint = "store_call";
                owner.transaction.Save(savepoint);
                try
                {
                    var result = await work(connection, owner.transaction).ConfigureAwait(false);
                    owner.transaction.Release(savepoint);
                    return result;
                }
                catch
                {
                    owner.transaction.Rollback(savepoint);
                    owner.transaction.Release(savepoint);
                    throw;
                }
            }
            finally
            {
                Gate.Release();
            }
        }

        public override async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction?, Task<T>> work, CancellationToken cancellationToken)
        {
            await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ObjectDisposedException.ThrowIf(owner.finished, owner);
                return await work(connection, owner.transaction).ConfigureAwait(false);
            }
            finally
            {
                Gate.Release();
            }
        }

        public override void AfterCommit(Action action) => (owner.onCommitted ??= []).Add(action);
    }
}
