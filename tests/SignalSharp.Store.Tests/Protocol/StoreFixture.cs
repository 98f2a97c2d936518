using SignalSharp.Store.Protocol;

namespace SignalSharp.Store.Tests.Protocol;

/// <summary>Base of the shared store suites: the SQLite variants get a fresh database per test, disposed after.</summary>
public abstract class StoreContract : IAsyncLifetime
{
    private TestDatabase? database;

    /// <summary>The database behind the SQLite variant (opened on first use).</summary>
    private protected async Task<TestDatabase> DatabaseAsync() => this.database ??= await TestDatabase.OpenAsync();

    protected async Task<ProtocolStores> SqliteStoresAsync(AccountIdentity identity = AccountIdentity.Aci)
        => (await DatabaseAsync()).Db.ProtocolStores(identity);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (this.database is not null)
        {
            await this.database.DisposeAsync();
        }
    }
}
