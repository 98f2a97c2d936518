using SignalSharp.Protocol;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Store.Tests.Protocol;

/// <summary>Behaviour every session and sender-key store shares, with records made by real protocol runs.</summary>
public abstract class SessionStoreContract : StoreContract
{
    protected abstract Task<(ISessionStore Sessions, ISenderKeyStore SenderKeys)> CreateAsync();

    private static readonly ProtocolAddress Bob1 = new("bbbbbbbb-0000-4000-8000-000000000002", 1);
    private static readonly ProtocolAddress Bob2 = new("bbbbbbbb-0000-4000-8000-000000000002", 2);

    [Fact]
    public async Task Sessions_are_stored_per_name_and_device_and_replaced()
    {
        var (store, _) = await CreateAsync();
        Assert.Null(await store.LoadSessionAsync(Bob1));
        var record = await ProtocolRun.EstablishedSessionAsync();
        await store.StoreSessionAsync(Bob1, record);
        var loaded = await store.LoadSessionAsync(Bob1);
        Assert.NotNull(loaded);
        Assert.True(loaded.HasCurrentState);
        Assert.Equal(record.Serialize(), loaded.Serialize());
        Assert.Null(await store.LoadSessionAsync(Bob2));

        var archived = record.Clone();
        archived.ArchiveCurrentState();
        await store.StoreSessionAsync(Bob1, archived);
        Assert.Equal(archived.Serialize(), (await store.LoadSessionAsync(Bob1))!.Serialize());
    }

    [Fact]
    public async Task Changing_a_loaded_session_changes_nothing_until_stored()
    {
        var (store, _) = await CreateAsync();
        var record = await ProtocolRun.EstablishedSessionAsync();
        await store.StoreSessionAsync(Bob1, record);
        var loaded = (await store.LoadSessionAsync(Bob1))!;
        loaded.ArchiveCurrentState();
        Assert.True((await store.LoadSessionAsync(Bob1))!.HasCurrentState);
    }

    [Fact]
    public async Task Sender_keys_are_stored_per_sender_device_and_distribution()
    {
        var (_, store) = await CreateAsync();
        var distribution = Guid.NewGuid();
        Assert.Null(await store.LoadSenderKeyAsync(Bob1, distribution));
        await new GroupSessionBuilder(store).CreateAsync(Bob1, distribution);
        var record = await store.LoadSenderKeyAsync(Bob1, distribution);
        Assert.NotNull(record);
        Assert.False(record.IsEmpty);
        Assert.Null(await store.LoadSenderKeyAsync(Bob2, distribution));
        Assert.Null(await store.LoadSenderKeyAsync(Bob1, Guid.NewGuid()));

        await store.StoreSenderKeyAsync(Bob2, distribution, record);
        Assert.Equal(record.Serialize(), (await store.LoadSenderKeyAsync(Bob2, distribution))!.Serialize());
        await store.StoreSenderKeyAsync(Bob2, distribution, new SenderKeyRecord());
        Assert.True((await store.LoadSenderKeyAsync(Bob2, distribution))!.IsEmpty);
    }
}

public sealed class InMemorySessionStoreTests : SessionStoreContract
{
    protected override Task<(ISessionStore, ISenderKeyStore)> CreateAsync()
        => Task.FromResult<(ISessionStore, ISenderKeyStore)>((new InMemorySessionStore(), new InMemorySenderKeyStore()));
}

public sealed class SqliteSessionStoreContractTests : SessionStoreContract
{
    protected override async Task<(ISessionStore, ISenderKeyStore)> CreateAsync()
    {
        var stores = await SqliteStoresAsync();
        return (stores.Sessions, stores.SenderKeys);
    }
}
