using SignalSharp.Protocol;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Store.Tests.Protocol;

/// <summary>Behaviour every <see cref="IIdentityKeyStore"/> shares; run against the in-memory and SQLite stores.</summary>
public abstract class IdentityKeyStoreContract : StoreContract
{
    protected abstract Task<IIdentityKeyStore> CreateAsync(IdentityKeyPair own, uint registrationId);

    private static readonly ProtocolAddress Bob = new("bbbbbbbb-0000-4000-8000-000000000002", 1);

    [Fact]
    public async Task Returns_the_local_identity_and_registration_id()
    {
        var own = IdentityKeyPair.Generate();
        var store = await CreateAsync(own, 4242);
        var loaded = await store.GetIdentityKeyPairAsync();
        Assert.Equal(own.IdentityKey, loaded.IdentityKey);
        Assert.Equal(own.PrivateKey.Serialize(), loaded.PrivateKey.Serialize());
        Assert.Equal(4242u, await store.GetLocalRegistrationIdAsync());
    }

    [Fact]
    public async Task Unknown_address_is_trusted_on_first_use_and_then_remembered()
    {
        var store = await CreateAsync(IdentityKeyPair.Generate(), 1);
        var key = IdentityKeyPair.Generate().IdentityKey;
        Assert.Null(await store.GetIdentityAsync(Bob));
        Assert.True(await store.IsTrustedIdentityAsync(Bob, key, TrustDirection.Sending));
        Assert.True(await store.IsTrustedIdentityAsync(Bob, key, TrustDirection.Receiving));
        Assert.Equal(IdentityChange.NewOrUnchanged, await store.SaveIdentityAsync(Bob, key));
        Assert.Equal(key, await store.GetIdentityAsync(Bob));
        Assert.Equal(IdentityChange.NewOrUnchanged, await store.SaveIdentityAsync(Bob, key));
        Assert.True(await store.IsTrustedIdentityAsync(Bob, key, TrustDirection.Sending));
    }

    [Fact]
    public async Task A_changed_key_is_not_trusted_for_sending_and_saving_it_reports_the_replacement()
    {
        var store = await CreateAsync(IdentityKeyPair.Generate(), 1);
        var first = IdentityKeyPair.Generate().IdentityKey;
        var second = IdentityKeyPair.Generate().IdentityKey;
        await store.SaveIdentityAsync(Bob, first);
        Assert.False(await store.IsTrustedIdentityAsync(Bob, second, TrustDirection.Sending));
        Assert.Equal(IdentityChange.ReplacedExisting, await store.SaveIdentityAsync(Bob, second));
        Assert.Equal(second, await store.GetIdentityAsync(Bob));
        Assert.False(await store.IsTrustedIdentityAsync(Bob, first, TrustDirection.Sending));
    }

    [Fact]
    public async Task Addresses_are_independent()
    {
        var store = await CreateAsync(IdentityKeyPair.Generate(), 1);
        var carol = new ProtocolAddress("cccccccc-0000-4000-8000-000000000003", 1);
        var key = IdentityKeyPair.Generate().IdentityKey;
        await store.SaveIdentityAsync(Bob, key);
        Assert.Null(await store.GetIdentityAsync(carol));
        Assert.True(await store.IsTrustedIdentityAsync(carol, IdentityKeyPair.Generate().IdentityKey, TrustDirection.Sending));
    }
}

public sealed class InMemoryIdentityKeyStoreTests : IdentityKeyStoreContract
{
    protected override Task<IIdentityKeyStore> CreateAsync(IdentityKeyPair own, uint registrationId)
        => Task.FromResult<IIdentityKeyStore>(new InMemoryIdentityKeyStore(own, registrationId));
}

public sealed class SqliteIdentityKeyStoreContractTests : IdentityKeyStoreContract
{
    protected override async Task<IIdentityKeyStore> CreateAsync(IdentityKeyPair own, uint registrationId)
    {
        var store = (await SqliteStoresAsync()).IdentityKeys;
        await store.SetLocalIdentityAsync(own, registrationId);
        return store;
    }
}
