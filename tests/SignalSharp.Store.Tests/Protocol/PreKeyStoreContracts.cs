using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Store.Tests.Protocol;

/// <summary>Behaviour every one-time, signed and Kyber prekey store shares.</summary>
public abstract class PreKeyStoreContract : StoreContract
{
    protected abstract Task<(IPreKeyStore PreKeys, ISignedPreKeyStore Signed, IKyberPreKeyStore Kyber)> CreateAsync();

    /// <summary>Stores a last-resort Kyber key (not part of the interface; both stores have it).</summary>
    protected abstract Task StoreLastResortAsync(IKyberPreKeyStore store, uint id, KyberPreKeyRecord record);

    private static readonly IdentityKeyPair Identity = IdentityKeyPair.Generate();

    [Fact]
    public async Task One_time_prekeys_store_load_replace_and_remove()
    {
        var (store, _, _) = await CreateAsync();
        var missing = await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.LoadPreKeyAsync(7));
        Assert.Equal(7u, missing.KeyId);
        Assert.Equal(PreKeyType.PreKey, missing.Type);

        var record = PreKeyRecord.Generate(7);
        await store.StorePreKeyAsync(7, record);
        Assert.Equal(record.Serialize(), (await store.LoadPreKeyAsync(7)).Serialize());
        var other = PreKeyRecord.Generate(8);
        await store.StorePreKeyAsync(8, other);
        var replacement = PreKeyRecord.Generate(7);
        await store.StorePreKeyAsync(7, replacement);
        Assert.Equal(replacement.Serialize(), (await store.LoadPreKeyAsync(7)).Serialize());

        await store.RemovePreKeyAsync(7);
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.LoadPreKeyAsync(7));
        await store.RemovePreKeyAsync(7); // removing twice is harmless
        Assert.Equal(other.Serialize(), (await store.LoadPreKeyAsync(8)).Serialize());
    }

    [Fact]
    public async Task Signed_prekeys_store_and_load()
    {
        var (_, store, _) = await CreateAsync();
        var missing = await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.LoadSignedPreKeyAsync(uint.MaxValue));
        Assert.Equal(PreKeyType.SignedPreKey, missing.Type);
        var record = SignedPreKeyRecord.Generate(Identity, 3, 1_700_000_000_000);
        await store.StoreSignedPreKeyAsync(3, record);
        var loaded = await store.LoadSignedPreKeyAsync(3);
        Assert.Equal(record.Serialize(), loaded.Serialize());
        Assert.True(loaded.VerifySignature(Identity.IdentityKey));
    }

    [Fact]
    public async Task A_one_time_kyber_key_is_gone_once_used()
    {
        var (_, _, store) = await CreateAsync();
        var missing = await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.LoadKyberPreKeyAsync(5));
        Assert.Equal(PreKeyType.KyberPreKey, missing.Type);
        var record = KyberPreKeyRecord.Generate(Identity, 5, 1_700_000_000_000);
        await store.StoreKyberPreKeyAsync(5, record);
        Assert.Equal(record.Serialize(), (await store.LoadKyberPreKeyAsync(5)).Serialize());
        await store.MarkKyberPreKeyUsedAsync(5, 1, ECKeyPair.Generate().PublicKey);
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.LoadKyberPreKeyAsync(5));
    }

    [Fact]
    public async Task A_last_resort_kyber_key_survives_use_but_refuses_a_replayed_base_key()
    {
        var (_, _, store) = await CreateAsync();
        var record = KyberPreKeyRecord.Generate(Identity, 9, 1_700_000_000_000);
        await StoreLastResortAsync(store, 9, record);
        var baseKey = ECKeyPair.Generate().PublicKey;
        await store.MarkKyberPreKeyUsedAsync(9, 1, baseKey);
        Assert.Equal(record.Serialize(), (await store.LoadKyberPreKeyAsync(9)).Serialize());
        await store.MarkKyberPreKeyUsedAsync(9, 1, ECKeyPair.Generate().PublicKey);
        await store.MarkKyberPreKeyUsedAsync(9, 2, baseKey);
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.MarkKyberPreKeyUsedAsync(9, 1, baseKey));
        await store.MarkKyberPreKeyUsedAsync(9);
        Assert.Equal(record.Serialize(), (await store.LoadKyberPreKeyAsync(9)).Serialize());
    }
}

public sealed class InMemoryPreKeyStoreTests : PreKeyStoreContract
{
    protected override Task<(IPreKeyStore, ISignedPreKeyStore, IKyberPreKeyStore)> CreateAsync()
        => Task.FromResult<(IPreKeyStore, ISignedPreKeyStore, IKyberPreKeyStore)>((new InMemoryPreKeyStore(), new InMemorySignedPreKeyStore(), new InMemoryKyberPreKeyStore()));

    protected override Task StoreLastResortAsync(IKyberPreKeyStore store, uint id, KyberPreKeyRecord record)
        => ((InMemoryKyberPreKeyStore)store).StoreLastResortKyberPreKeyAsync(id, record);
}

public sealed class SqlitePreKeyStoreContractTests : PreKeyStoreContract
{
    protected override async Task<(IPreKeyStore, ISignedPreKeyStore, IKyberPreKeyStore)> CreateAsync()
    {
        var stores = await SqliteStoresAsync();
        return (stores.PreKeys, stores.SignedPreKeys, stores.KyberPreKeys);
    }

    protected override Task StoreLastResortAsync(IKyberPreKeyStore store, uint id, KyberPreKeyRecord record)
        => ((Store.Protocol.SqliteKyberPreKeyStore)store).StoreLastResortKyberPreKeyAsync(id, record);
}
